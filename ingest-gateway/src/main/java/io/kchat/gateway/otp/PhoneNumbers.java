package io.kchat.gateway.otp;

import io.kchat.gateway.errors.Refusal;
import java.util.regex.Pattern;

/** Phone numbers in E.164: '+', a country code not starting with 0, 7 to 15 digits in all, nothing else. */
public final class PhoneNumbers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final int VISIBLE_DIGITS = 2;

    private PhoneNumbers() {
    }

    /** @throws Refusal 400 unless {@code phone} is E.164 */
    public static String require(String phone) {
        if (phone == null || !E164.matcher(phone).matches()) {
            throw Refusal.invalid("invalid phone", "phone must be in E.164 form, e.g. +14155550123");
        }
        return phone;
    }

    /** The display name of an account created by phone: every digit hidden but the last two. */
    public static String masked(String phone) {
        int hidden = phone.length() - 1 - VISIBLE_DIGITS;
        return "+" + "•".repeat(hidden) + phone.substring(phone.length() - VISIBLE_DIGITS);
    }
}
