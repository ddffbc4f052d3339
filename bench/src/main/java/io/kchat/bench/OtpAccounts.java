package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * New accounts, one device each, signed in by phone code ({@code /v1/auth/otp/request} then {@code /verify}): the
 * first verified code of a phone creates its account. Each account's requests leave from its own source address, as
 * its socket will, which also spreads the per-address OTP throttle and its row lock.
 */
final class OtpAccounts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CODE_TIMEOUT = Duration.ofSeconds(60);

    private final BenchApi api;
    private final SmsInbox inbox;
    private final SourceAddresses sources;
    private final HttpClient[] clients;
    /** '+1', then three digits drawn per run: phones (hence accounts) differ between runs on one database. */
    private final String phonePrefix = "+1" + ThreadLocalRandom.current().nextInt(100, 1000);

    OtpAccounts(BenchApi api, SmsInbox inbox, SourceAddresses sources) {
        this.api = api;
        this.inbox = inbox;
        this.sources = sources;
        this.clients = new HttpClient[sources.count()];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder().localAddress(sources.of(i)).connectTimeout(CODE_TIMEOUT).build();
        }
    }

    SourceAddresses sources() {
        return sources;
    }

    /** Account number {@code index}: a new phone, its code, a new device; signed in on socket {@code index}'s gateway. */
    BenchApi.Login create(int index) throws IOException, InterruptedException {
        String phone = phonePrefix + String.format("%08d", index);
        HttpClient client = clients[Math.floorMod(index, clients.length)];
        var code = inbox.expect(phone);
        try {
            JsonNode requested = api.post(index, client, "/v1/auth/otp/request", null,
                    JSON.createObjectNode().put("phone", phone), 202);
            JsonNode verify = JSON.createObjectNode().put("phone", phone)
                    .put("code", code.get(CODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .put("requestId", requested.path("requestId").asText());
            return BenchApi.login(api.post(index, client, "/v1/auth/otp/verify", null, verify, 200));
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no code reached the SMS inbox for account " + index
                    + " (is the stack's OTP_SENDER=webhook pointed at the bench?)", e);
        } finally {
            inbox.forget(phone);
        }
    }
}
