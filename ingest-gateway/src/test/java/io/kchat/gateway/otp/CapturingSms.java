package io.kchat.gateway.otp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An {@link SmsSender} that keeps what it was asked to send, and can be told to fail after keeping it. */
final class CapturingSms implements SmsSender {

    record Sms(String to, String text) {
        String code() {
            Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in: " + text);
            }
            return m.group(1);
        }
    }

    private final List<Sms> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public void send(String phone, String text) throws SmsDeliveryException {
        sent.add(new Sms(phone, text));
        if (failNext.getAndSet(false)) {
            throw new SmsDeliveryException("provider said no");
        }
    }

    void failNext() {
        failNext.set(true);
    }

    /** The code last sent to {@code phone}. */
    String lastCodeFor(String phone) {
        return sent.reversed().stream().filter(s -> s.to().equals(phone)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing sent to " + phone)).code();
    }

    int count() {
        return sent.size();
    }
}
