package io.kchat.delivery.push;

import com.zerodeplibs.webpush.VAPIDKeyPair;
import java.sql.SQLException;

/** Where the Web Push transport gets the VAPID key pair a subscription names. */
@FunctionalInterface
interface VapidKeySource {

    /** @throws Refused no such key, or not a usable one */
    VAPIDKeyPair get(String keyId) throws SQLException, Refused;
}
