package io.kchat.bench;

import java.io.IOException;

/**
 * What every mode against a stack needs: its REST API on every gateway of {@code --url}, phone sign-in through the
 * bench's SMS inbox, and one WebSocket client for all sockets. Closed at the end of the run.
 */
record BenchContext(BenchApi api, SmsInbox inbox, OtpAccounts accounts, WsClient client, Report report)
        implements AutoCloseable {

    static BenchContext open(Options options, Report report, SourceAddresses sources) throws IOException {
        BenchApi api = new BenchApi(Gateways.from(options));
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
