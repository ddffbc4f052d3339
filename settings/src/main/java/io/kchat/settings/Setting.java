package io.kchat.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One environment variable a service reads, declared once: its name, how its value is read, its default, what it
 * means and how much a deployment must care. The declarations of a service make its catalogue, which
 * docs/configuration.md is checked against (deploy/manifests), so a setting exists in code before it is documented.
 *
 * <p>Read through {@link Settings}. A setting without a default is either {@link Need#REQUIRED} or read with
 * {@link Settings#find}, the caller deciding what its absence means ({@link #unsetMeans}).
 *
 * @param <T> what the value becomes
 */
public final class Setting<T> {

    /** A former spelling: another name, whose value is read by {@code reader}. */
    public record Former<T>(String name, Function<String, T> reader) {
        public Former {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reader, "reader");
        }
    }

    private final String name;
    private final Function<String, T> reader;
    private final T defaultValue;
    private final String defaultText;
    private final Need need;
    private final String meaning;
    private final Former<T> former;

    private Setting(String name, Function<String, T> reader, T defaultValue, String defaultText, Need need,
                    String meaning, Former<T> former) {
        if (!name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("not a variable name: " + name);
        }
        this.name = name;
        this.reader = Objects.requireNonNull(reader, "reader");
        this.defaultValue = defaultValue;
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.need = Objects.requireNonNull(need, "need");
        this.meaning = Objects.requireNonNull(meaning, "meaning");
        this.former = former;
    }

    private static <T> Setting<T> of(String name, Function<String, T> reader, T defaultValue, String defaultText,
                                     String meaning) {
        return new Setting<>(name, reader, defaultValue, defaultText, Need.OPTIONAL, meaning, null);
    }

    /** Free text; {@code ""} as the default is documented as empty. */
    public static Setting<String> text(String name, String defaultValue, String meaning) {
        return of(name, Function.identity(), defaultValue, defaultValue.isEmpty() ? "empty" : defaultValue, meaning);
    }

    /** Free text the service cannot start without. */
    public static Setting<String> requiredText(String name, String meaning) {
        return new Setting<>(name, Function.identity(), null, "—", Need.REQUIRED, meaning, null);
    }

    public static Setting<Integer> integer(String name, int defaultValue, String meaning) {
        return of(name, Setting::parseInt, defaultValue, Integer.toString(defaultValue), meaning);
    }

    /** A number that may have a fraction, such as a rate per second. */
    public static Setting<Double> decimal(String name, double defaultValue, String meaning) {
        String text = defaultValue == Math.rint(defaultValue) ? Long.toString((long) defaultValue) : Double.toString(defaultValue);
        return of(name, Setting::parseDouble, defaultValue, text, meaning);
    }

    /** {@code true} or {@code false}, any case; anything else is refused rather than read as false. */
    public static Setting<Boolean> flag(String name, boolean defaultValue, String meaning) {
        return of(name, Setting::parseFlag, defaultValue, Boolean.toString(defaultValue), meaning);
    }

    /** The reader of every duration setting: {@link #formerlyIn} and the ISO-8601 leniency recognise it. */
    private static final Function<String, Duration> DURATION = Durations::parse;

    /** Written as {@link Durations} reads it. */
    public static Setting<Duration> duration(String name, Duration defaultValue, String meaning) {
        return of(name, DURATION, defaultValue, Durations.format(defaultValue), meaning);
    }

    /** A duration whose default the caller computes (from other settings): read with {@link Settings#find}. */
    public static Setting<Duration> computedDuration(String name, String defaultDescription, String meaning) {
        return new Setting<>(name, DURATION, null, defaultDescription, Need.OPTIONAL, meaning, null);
    }

    /** Free text whose default the caller computes (from other settings, at random): read with {@link Settings#find}. */
    public static Setting<String> computedText(String name, String defaultDescription, String meaning) {
        return new Setting<>(name, Function.identity(), null, defaultDescription, Need.OPTIONAL, meaning, null);
    }

    /** Comma-separated, each entry trimmed, empty entries dropped; empty by default. */
    public static Setting<List<String>> list(String name, String meaning) {
        return of(name, Setting::parseList, List.of(), "empty", meaning);
    }

    /** A file or directory; the path as written, resolved by the caller. */
    public static Setting<Path> path(String name, String defaultValue, String meaning) {
        return of(name, Path::of, Path.of(defaultValue), defaultValue, meaning);
    }

    /** A file or directory with no default: read with {@link Settings#find}. */
    public static Setting<Path> optionalPath(String name, String unsetMeans, String meaning) {
        return new Setting<>(name, Path::of, null, unset(unsetMeans), Need.OPTIONAL, meaning, null);
    }

    /** Free text with no default: read with {@link Settings#find}. */
    public static Setting<String> optionalText(String name, String unsetMeans, String meaning) {
        return new Setting<>(name, Function.identity(), null, unset(unsetMeans), Need.OPTIONAL, meaning, null);
    }

    private static String unset(String means) {
        return means.isEmpty() ? "unset" : "unset: " + means;
    }

    /** Its default only fits a developer machine: every deployment sets it. */
    public Setting<T> deploy() {
        return new Setting<>(name, reader, defaultValue, defaultText, Need.DEPLOY, meaning, former);
    }

    /** One of {@code type}'s constants, written in any case ({@code log}, {@code LOG}). */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type, E defaultValue, String meaning) {
        Function<String, E> reader = value -> Arrays.stream(type.getEnumConstants())
                .filter(constant -> constant.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not one of " + Arrays.stream(type.getEnumConstants())
                        .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList()));
        return of(name, reader, defaultValue, defaultValue.name().toLowerCase(Locale.ROOT), meaning);
    }

    /**
     * Accepts {@code formerName}, read by {@code formerReader}, when this one is not set, with a warning: the
     * durations of the first releases had their unit in the name ({@code NODE_HEARTBEAT_MS=5000}, read by
     * {@link Durations#plainNumberOf}).
     */
    public Setting<T> formerly(String formerName, Function<String, T> formerReader) {
        return new Setting<>(name, reader, defaultValue, defaultText, need, meaning, new Former<>(formerName, formerReader));
    }

    /**
     * A duration's former spelling, the rule of the first releases: a plain number of {@code unit}s under the name
     * with the unit appended ({@code NODE_HEARTBEAT_MS=5000} for {@code NODE_HEARTBEAT}).
     */
    @SuppressWarnings("unchecked")
    public Setting<T> formerlyIn(ChronoUnit unit) {
        if (reader != DURATION) {
            throw new IllegalStateException(name + " is no duration: only durations had their unit in the name");
        }
        return formerly(name + Durations.nameSuffix(unit), (Function<String, T>) Durations.plainNumberOf(unit));
    }

    /** Whether the value is a duration, which the first releases of one service also wrote in ISO-8601. */
    boolean readsDurations() {
        return reader == DURATION;
    }

    /** Accepts {@code formerName}, written the same way, when this one is not set, with a warning: a renamed setting. */
    public Setting<T> formerly(String formerName) {
        return formerly(formerName, reader);
    }

    public String name() {
        return name;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as docs/configuration.md writes it (without its code formatting). */
    public String defaultText() {
        return defaultText;
    }

    public Need need() {
        return need;
    }

    public String meaning() {
        return meaning;
    }

    public Optional<Former<T>> former() {
        return Optional.ofNullable(former);
    }

    T read(String value) {
        return reader.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number", e);
        }
    }

    private static double parseDouble(String value) {
        try {
            double number = Double.parseDouble(value);
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new NumberFormatException(value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number", e);
        }
    }

    private static boolean parseFlag(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    private static List<String> parseList(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
