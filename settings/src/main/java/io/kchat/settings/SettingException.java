package io.kchat.settings;

/** A setting that is missing or cannot be read, with the variable and the value it was given named. */
public final class SettingException extends IllegalArgumentException {

    SettingException(String message) {
        super(message);
    }

    SettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
