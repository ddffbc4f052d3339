package io.kchat.gateway.otp;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"+14155550123", "+442071838750", "+6831234", "+123456789012345"})
    void acceptsE164(String phone) {
        assertEquals(phone, PhoneNumbers.require(phone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "14155550123", "+04155550123", "+1 4155550123", "+1-415-555-0123", "+123456",
            "+1234567890123456", "+1415555012３", "+14155550123\n"})
    void refusesAnythingElse(String phone) {
        assertEquals(400, refused(() -> PhoneNumbers.require(phone)).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+14155550123"})
    void masksAllButTheLastTwoDigits(String phone) {
        assertEquals("+•••••••••23", PhoneNumbers.masked(phone));
    }
}
