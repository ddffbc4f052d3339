package io.kchat.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment of one service, read one way: a value is trimmed, a blank value is the same as an unset one,
 * and a value that cannot be read stops the service at start with the variable and the value named
 * ({@link SettingException}). Only declared {@link Setting}s can be read.
 */
public final class Settings {

    private static final Logger log = LoggerFactory.getLogger(Settings.class);

    private final Map<String, String> environment;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private Settings(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static Settings of(Map<String, String> environment) {
        return new Settings(environment);
    }

    /** The process's environment. */
    public static Settings fromEnvironment() {
        return of(System.getenv());
    }

    /** A copy of the process's environment, for a launcher that hands it on to services it starts in-process. */
    public static Map<String, String> environment() {
        return Map.copyOf(System.getenv());
    }

    /** The value, else the default; a {@link Need#REQUIRED} setting that is unset fails. */
    public <T> T get(Setting<T> setting) {
        return find(setting).or(setting::defaultValue).orElseThrow(() -> setting.need() == Need.REQUIRED
                ? new SettingException(setting.name() + " is required: " + setting.meaning())
                : new IllegalStateException(setting.name() + " has no default: read it with find"));
    }

    /** The value when it is set (under its name or a former one), ignoring the default. */
    public <T> Optional<T> find(Setting<T> setting) {
        Optional<String> value = raw(setting.name());
        Optional<Setting.Former<T>> former = setting.former().filter(f -> raw(f.name()).isPresent());
        if (value.isPresent()) {
            former.ifPresent(f -> warnOnce(f.name(), "{} is ignored: {} is set too and wins", f.name(), setting.name()));
            return Optional.of(read(setting.name(), value.get(), setting::read, setting));
        }
        if (former.isPresent()) {
            Setting.Former<T> f = former.get();
            T read = read(f.name(), raw(f.name()).orElseThrow(), f.reader(), setting);
            warnOnce(f.name(), "{} is the former name of {}, read until the next release: write {}={}",
                    f.name(), setting.name(), setting.name(), read instanceof Duration d ? Durations.format(d) : read);
            return Optional.of(read);
        }
        return Optional.empty();
    }

    private <T> T read(String name, String value, Function<String, T> reader, Setting<T> setting) {
        try {
            return reader.apply(value);
        } catch (IllegalArgumentException e) {
            T iso = isoDuration(name, value, setting);
            if (iso != null) {
                return iso;
            }
            throw new SettingException(name + "='" + value + "': " + e.getMessage(), e);
        }
    }

    /** The delivery-service's first release also took ISO-8601 ({@code PT5S}): accepted for one more, with a warning. */
    @SuppressWarnings("unchecked")
    private <T> T isoDuration(String name, String value, Setting<T> setting) {
        if (!setting.readsDurations() || !value.regionMatches(true, 0, "PT", 0, 2)) {
            return null;
        }
        try {
            Duration duration = Duration.parse(value);
            warnOnce(name, "{}='{}': ISO-8601 durations are read until the next release: write {}={}",
                    name, value, name, Durations.format(duration));
            return (T) duration;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return null;
        }
    }

    private Optional<String> raw(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private void warnOnce(String name, String message, Object... arguments) {
        if (warned.add(name)) {
            log.warn(message, arguments);
        }
    }
}
