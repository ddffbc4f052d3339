package io.kchat.images.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The images' health check, as they have no shell, curl or wget: {@code java -jar /opt/kchat/health-probe.jar
 * PORT [PATH]} asks {@code GET PATH} (default {@code /health/ready}) on 127.0.0.1 and exits 0 on a 200, 1
 * otherwise. java.base only and one class, so that the JVM starts in a fraction of a second. It prints the
 * answer's status line because a container engine keeps a check's output with its result; SLF4J is not on
 * its class path.
 */
public final class HealthProbe {

    private static final int TIMEOUT_MILLIS = 3_000;

    private HealthProbe() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java -jar health-probe.jar PORT [PATH]");
            System.exit(2);
        }
        String status = status(Integer.parseInt(args[0]), args.length == 2 ? args[1] : "/health/ready");
        System.out.println(status);
        System.exit(isOk(status) ? 0 : 1);
    }

    /** The status line of the answer, or what went wrong. */
    static String status(int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            return line == null ? "no answer from port " + port : line;
        } catch (IOException e) {
            return "port " + port + ": " + e;
        }
    }

    /** {@code HTTP/1.1 200 OK}: the code is the second word. */
    static boolean isOk(String statusLine) {
        String[] words = statusLine.split(" ");
        return words.length >= 2 && words[0].startsWith("HTTP/") && words[1].equals("200");
    }
}
