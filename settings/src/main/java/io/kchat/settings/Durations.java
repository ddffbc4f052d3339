package io.kchat.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one way a duration is written in a setting: a whole number and a unit, {@code 500ms}, {@code 5s}, {@code 2m}. */
public final class Durations {

    /** What a value has to look like, for error messages. */
    public static final String FORM = "a duration such as 500ms, 5s, 2m, 1h or 7d";

    private static final Pattern WRITTEN = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");
    /** Largest first, so that {@link #format} picks the shortest spelling. */
    private static final List<Unit> UNITS = List.of(
            new Unit("d", ChronoUnit.DAYS), new Unit("h", ChronoUnit.HOURS), new Unit("m", ChronoUnit.MINUTES),
            new Unit("s", ChronoUnit.SECONDS), new Unit("ms", ChronoUnit.MILLIS));

    private record Unit(String suffix, ChronoUnit unit) {
    }

    private Durations() {
    }

    /** {@code text} as a duration; {@link IllegalArgumentException} naming {@link #FORM} when it is not one. */
    public static Duration parse(String text) {
        Matcher written = WRITTEN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!written.matches()) {
            throw new IllegalArgumentException("not " + FORM);
        }
        long amount = Long.parseLong(written.group(1));
        ChronoUnit unit = UNITS.stream().filter(u -> u.suffix().equals(written.group(2))).findFirst().orElseThrow().unit();
        try {
            return Duration.of(amount, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too long", e);
        }
    }

    /** How the first releases appended {@code unit} to a variable's name: {@code _MS}, {@code _SECONDS}, ... */
    static String nameSuffix(ChronoUnit unit) {
        return switch (unit) {
            case MILLIS -> "_MS";
            case SECONDS -> "_SECONDS";
            case MINUTES -> "_MINUTES";
            case HOURS -> "_HOURS";
            case DAYS -> "_DAYS";
            default -> throw new IllegalArgumentException("no variable was named in " + unit);
        };
    }

    /** Reads a plain number of {@code unit}s: the former spelling, whose unit was in the variable's name. */
    public static Function<String, Duration> plainNumberOf(ChronoUnit unit) {
        return value -> {
            if (!value.matches("\\d{1,18}")) {
                throw new IllegalArgumentException("not a whole number of " + unit.toString().toLowerCase(Locale.ROOT));
            }
            return Duration.of(Long.parseLong(value), unit);
        };
    }

    /** The shortest spelling {@link #parse} reads back as {@code duration}: 90 seconds is {@code 90s}, 2 minutes {@code 2m}. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a setting's duration is never negative: " + duration);
        }
        long millis = duration.toMillis();
        for (Unit unit : UNITS) {
            long size = unit.unit().getDuration().toMillis();
            if (millis != 0 && millis % size == 0) {
                return millis / size + unit.suffix();
            }
        }
        return millis + "ms";
    }
}
