package io.kchat.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One process of the stack under test, as {@code --stack-pids} names it: {@code role=pid} (bench/run writes
 * {@code infra=...,processor-1=...,delivery-1=...,gateway-1=...}) or a bare pid, as earlier versions passed them.
 *
 * @param name the role, empty for a bare pid
 */
record StackPid(String name, long pid) {

    StackPid {
        if (pid <= 0) {
            throw new IllegalArgumentException("a pid is positive, not " + pid);
        }
        if (!name.isEmpty() && !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a process name is [A-Za-z0-9._-]+, not '" + name + "'");
        }
    }

    /** {@code --stack-pids}: comma-separated {@code name=pid} or {@code pid}; blank: none. */
    static List<StackPid> parseList(String text) {
        List<StackPid> processes = new ArrayList<>();
        Set<Long> pids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (String part : text.split(",")) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            StackPid process;
            try {
                process = equals < 0 ? new StackPid("", Long.parseLong(entry))
                        : new StackPid(entry.substring(0, equals).strip(),
                                Long.parseLong(entry.substring(equals + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--stack-pids takes name=pid or pid, got '" + entry + "'", e);
            }
            if (equals >= 0 && process.name().isEmpty()) {
                throw new IllegalArgumentException("--stack-pids: no name before '=' in '" + entry + "'");
            }
            if (!pids.add(process.pid())) {
                throw new IllegalArgumentException("--stack-pids lists pid " + process.pid() + " twice");
            }
            if (!process.name().isEmpty() && !names.add(process.name())) {
                throw new IllegalArgumentException("--stack-pids names two processes " + process.name());
            }
            processes.add(process);
        }
        return List.copyOf(processes);
    }

    /** {@code processor-1 (pid 123)}, or {@code pid 123} without a name. */
    String label() {
        return name.isEmpty() ? "pid " + pid : name + " (pid " + pid + ")";
    }
}
