package io.kchat.gateway.otp;

/** Delivers a text message to a phone. Implementations never log the text of a message that carries a code. */
public interface SmsSender {

    /** @throws SmsDeliveryException when the message was not accepted for delivery */
    void send(String phone, String text) throws SmsDeliveryException;
}
