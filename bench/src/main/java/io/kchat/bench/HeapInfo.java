package io.kchat.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap as {@code jcmd <pid> GC.heap_info} prints it: used bytes summed over the heap's lines (one for G1, one
 * per generation for Serial and Parallel), Metaspace left out; reserved (the -Xmx) where the collector prints it.
 */
record HeapInfo(long usedBytes, long reservedBytes) {

    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final Pattern RESERVED = Pattern.compile("total reserved (\\d+)([KMG])");

    static HeapInfo parse(String heapInfo) {
        long used = 0;
        long reserved = -1;
        boolean found = false;
        for (String line : heapInfo.split("\\R")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher u = USED.matcher(line);
            if (u.find()) {
                used += bytes(u);
                found = true;
            }
            Matcher r = RESERVED.matcher(line);
            if (r.find()) {
                reserved = Math.max(reserved, 0) + bytes(r);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no heap usage in GC.heap_info output: " + heapInfo);
        }
        return new HeapInfo(used, reserved);
    }

    private static long bytes(Matcher m) {
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }
}
