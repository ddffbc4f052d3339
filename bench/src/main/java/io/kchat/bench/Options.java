package io.kchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of one run: a mode, then {@code --name value} pairs. Durations are written {@code 500ms},
 * {@code 20s}, {@code 2m} (a bare number is seconds); lists are comma-separated.
 */
record Options(String mode, Map<String, String> values) {

    Options {
        values = Map.copyOf(values);
    }

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: bench <mode> [--option value]...");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return new Options(args[0], values);
    }

    /** Fails on an option no mode reads, so that a typo does not silently run the defaults. */
    void requireKnown(Set<String> known) {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("mode " + mode + " has no option --" + name + "; it takes " + known);
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("mode " + mode + " needs --" + name);
        }
        return value;
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name).strip()) : fallback;
    }

    double number(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name).strip()) : fallback;
    }

    Duration duration(String name, Duration fallback) {
        return values.containsKey(name) ? parseDuration(values.get(name)) : fallback;
    }

    List<Integer> integers(String name, List<Integer> fallback) {
        if (!values.containsKey(name)) {
            return fallback;
        }
        List<Integer> list = new ArrayList<>();
        for (String part : values.get(name).split(",")) {
            if (!part.isBlank()) {
                list.add(Integer.parseInt(part.strip()));
            }
        }
        return List.copyOf(list);
    }

    static Duration parseDuration(String value) {
        String text = value.strip();
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
            return Duration.ofSeconds(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 60));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }
}
