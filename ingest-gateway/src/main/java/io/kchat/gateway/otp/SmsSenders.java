package io.kchat.gateway.otp;

/** The {@link SmsSender} that OTP_SENDER names. */
public final class SmsSenders {

    private SmsSenders() {
    }

    public static SmsSender create(OtpConfig config) {
        return switch (config.sender()) {
            case LOG -> new LoggingSmsSender();
            case WEBHOOK -> new WebhookSmsSender(config.webhookUrl(), config.webhookHeaders(), config.webhookTimeout());
        };
    }
}
