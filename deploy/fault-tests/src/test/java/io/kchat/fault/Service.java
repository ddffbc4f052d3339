package io.kchat.fault;

import java.util.regex.Pattern;

/** The services as runnable jars: {@code <module>/target/<module>.jar} with {@code lib/} beside it. */
enum Service {
    GATEWAY("ingest-gateway", 256, "ingest-gateway \\S+ ready at http://[^:]+:(\\d+)"),
    PROCESSOR("streams-processor", 384, "streams-processor ready"),
    DELIVERY("delivery-service", 256, "delivery-service ready"),
    ASSISTANT("assistant-worker", 192, "assistant-worker ready");

    private final String module;
    private final int heapMegabytes;
    private final Pattern readyLine;

    Service(String module, int heapMegabytes, String readyLine) {
        this.module = module;
        this.heapMegabytes = heapMegabytes;
        this.readyLine = Pattern.compile(readyLine);
    }

    String module() {
        return module;
    }

    int heapMegabytes() {
        return heapMegabytes;
    }

    /** Matches the line the service prints once it serves; for the gateway, group 1 is its port. */
    Pattern readyLine() {
        return readyLine;
    }
}
