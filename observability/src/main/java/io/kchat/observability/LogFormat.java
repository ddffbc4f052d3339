package io.kchat.observability;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.util.Locale;

/**
 * {@code LOG_FORMAT}: {@code text} (the default: one readable line per event) or {@code json} (one JSON object per
 * line, for a log collector). Logback picks the appender of that name itself (see
 * {@code io/kchat/observability/logback-appenders.xml}); an unknown value would leave it with no appender at all,
 * i.e. silence, so each service checks the value at start and refuses anything else.
 */
public enum LogFormat {
    TEXT, JSON;

    public static final Setting<String> SETTING = Setting.text("LOG_FORMAT", "text",
            "text: one readable line per event; json: one JSON object per line for a log collector").deploy();

    /** The service's format; refuses a name logback has no appender for. */
    public static LogFormat from(Settings settings) {
        return of(settings.get(SETTING));
    }

    /** The format named by {@code value} ({@code null}: the default, text). */
    public static LogFormat of(String value) {
        if (value == null) {
            return TEXT;
        }
        for (LogFormat format : values()) {
            if (format.wire().equals(value)) {
                return format;
            }
        }
        throw new IllegalArgumentException("LOG_FORMAT must be text or json, not '" + value + "'");
    }

    /** The value in LOG_FORMAT, which is also the name of the logback appender. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
