package io.kchat.gateway.auth.passwords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Passwords too common to allow, compared case-insensitively. The shipped list is zxcvbn's 30,000 most common
 * passwords (see {@code passwords/README.md} beside it); PASSWORD_DENYLIST_FILE replaces it.
 */
public final class PasswordDenylist {

    static final String SHIPPED = "/passwords/common-passwords.txt";

    private final Set<String> passwords;

    private PasswordDenylist(Set<String> passwords) {
        this.passwords = Set.copyOf(passwords);
    }

    /** The shipped list, or {@code file} instead when set; an unreadable file fails the start. */
    public static PasswordDenylist load(String file) {
        if (file == null || file.isBlank()) {
            return shipped();
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("PASSWORD_DENYLIST_FILE " + file + " cannot be read", e);
        }
    }

    public static PasswordDenylist shipped() {
        try (InputStream in = PasswordDenylist.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED + " is missing from the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SHIPPED, e);
        }
    }

    public static PasswordDenylist of(String... passwords) {
        Set<String> set = new HashSet<>();
        for (String password : passwords) {
            set.add(normalise(password));
        }
        return new PasswordDenylist(set);
    }

    public boolean contains(String password) {
        return passwords.contains(normalise(password));
    }

    public int size() {
        return passwords.size();
    }

    private static PasswordDenylist read(InputStream in) throws IOException {
        Set<String> set = new HashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    set.add(normalise(line.strip()));
                }
            }
        }
        return new PasswordDenylist(set);
    }

    private static String normalise(String password) {
        return password.toLowerCase(Locale.ROOT);
    }
}
