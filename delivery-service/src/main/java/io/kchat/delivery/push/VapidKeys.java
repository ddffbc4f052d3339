package io.kchat.delivery.push;

import com.zerodeplibs.webpush.VAPIDKeyPair;
import com.zerodeplibs.webpush.VAPIDKeyPairs;
import com.zerodeplibs.webpush.key.PrivateKeySources;
import com.zerodeplibs.webpush.key.PublicKeySources;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The VAPID key pairs (RFC 8292) by key id, read from vapid_keys once each: a key never changes under its id
 * (rotation adds a key; retiring one removes its subscriptions, so nothing asks for it any more).
 */
final class VapidKeys implements VapidKeySource {

    private final PushStore store;
    private final Map<String, VAPIDKeyPair> cache = new ConcurrentHashMap<>();

    VapidKeys(PushStore store) {
        this.store = store;
    }

    @Override
    public VAPIDKeyPair get(String keyId) throws SQLException, Refused {
        VAPIDKeyPair cached = cache.get(keyId);
        if (cached != null) {
            return cached;
        }
        PushStore.VapidKey key = store.vapidKey(keyId)
                .orElseThrow(() -> new Refused("VAPID key " + keyId + " does not exist"));
        VAPIDKeyPair pair;
        try {
            pair = VAPIDKeyPairs.of(PrivateKeySources.ofPKCS8Bytes(key.privateKey()),
                    PublicKeySources.ofUncompressedBytes(key.publicKey()));
        } catch (RuntimeException e) {
            throw new Refused("VAPID key " + keyId + " is unusable", e);
        }
        cache.put(keyId, pair);
        return pair;
    }
}
