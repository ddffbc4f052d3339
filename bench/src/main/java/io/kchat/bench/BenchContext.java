package io.kchat.bench;

import java.io.IOException;
import java.net.URI;

/**
 * What every mode against a stack needs: its REST API, phone sign-in through the bench's SMS inbox, and one
 * WebSocket client for all sockets. Closed at the end of the run.
 */
record BenchContext(BenchApi api, SmsInbox inbox, OtpAccounts accounts, WsClient client, Report report)
        implements AutoCloseable {

    static BenchContext open(Options options, Report report, SourceAddresses sources) throws IOException {
        BenchApi api = new BenchApi(URI.create(options.text("url", "http://127.0.0.1:8080")));
        SmsInbox inbox = SmsInbox.start(options.integer("sms-port", 18099));
        WsClient client = new WsClient(options.integer("client-threads", Runtime.getRuntime().availableProcessors()));
        return new BenchContext(api, inbox, new OtpAccounts(api, inbox, sources), client, report);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            inbox.close();
        }
    }
}
