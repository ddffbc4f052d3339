package io.kchat.gateway.auth.tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which key signs access tokens now, and which ones a presented token may be signed with. */
public interface KeyRing {

    SigningKey current();

    Optional<SigningKey> verificationKey(String kid);

    List<SigningKey> verificationKeys();

    /** A fixed ring, for tests and tools. */
    static KeyRing of(SigningKey current, SigningKey... others) {
        List<SigningKey> all = new ArrayList<>(List.of(others));
        all.addFirst(current);
        return new KeyRing() {
            @Override
            public SigningKey current() {
                return current;
            }

            @Override
            public Optional<SigningKey> verificationKey(String kid) {
                return all.stream().filter(k -> k.kid().equals(kid)).findFirst();
            }

            @Override
            public List<SigningKey> verificationKeys() {
                return List.copyOf(all);
            }
        };
    }
}
