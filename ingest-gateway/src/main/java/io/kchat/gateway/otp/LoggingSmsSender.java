package io.kchat.gateway.otp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes messages, codes included, to the log instead of sending them: the default for local use only. */
public final class LoggingSmsSender implements SmsSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingSmsSender.class);

    public LoggingSmsSender() {
        log.warn("OTP_SENDER=log: phone codes are written to this log, not sent; set OTP_SENDER=webhook in production");
    }

    @Override
    public void send(String phone, String text) {
        log.info("SMS to {}: {}", phone, text);
    }
}
