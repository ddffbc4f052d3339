package io.kchat.gateway.ws;

import io.kchat.events.DeviceAck;
import io.kchat.events.InboundCommand;
import io.kchat.events.ReadUpTo;
import io.kchat.events.SendMessage;
import io.kchat.events.UserCommand;
import io.kchat.gateway.kafka.EventPublisher;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands of an authenticated socket, published to Kafka. An {@code ok} is sent only from the
 * publish future, i.e. once the broker acknowledged the write (acks=all): "ack after durable".
 */
final class ClientCommands {

    private static final Logger log = LoggerFactory.getLogger(ClientCommands.class);

    private final EventPublisher<String, InboundCommand> inbound;
    private final EventPublisher<String, UserCommand> userInbound;
    private final Clock clock;

    ClientCommands(EventPublisher<String, InboundCommand> inbound, EventPublisher<String, UserCommand> userInbound,
                   Clock clock) {
        this.inbound = inbound;
        this.userInbound = userInbound;
        this.clock = clock;
    }

    void handle(ClientSession session, SessionIdentity who, ClientFrame frame) {
        switch (frame) {
            // a send is always answered: its ok (with the client's id) is the durability receipt
            case ClientFrame.Send send -> answer(session, send.ref(), send.id(), true,
                    inbound.publish(send.conversationId(), command(
                            new SendMessage(send.id(), who.userId(), who.deviceId(), send.body()))));
            case ClientFrame.Ack ack -> answer(session, ack.ref(), null, false,
                    userInbound.publish(who.userId(), new UserCommand(
                            new DeviceAck(who.userId(), who.deviceId(), ack.userSeq()))));
            case ClientFrame.Read read -> answer(session, read.ref(), null, false,
                    inbound.publish(read.conversationId(), command(
                            new ReadUpTo(who.userId(), who.deviceId(), read.seq()))));
            case ClientFrame.Typing typing -> session.send(ServerFrame.Error.of(typing.ref(), null,
                    ErrorCode.NOT_IMPLEMENTED, "typing is not available yet"));
            case ClientFrame.Ping ping -> session.send(new ServerFrame.Pong(ping.ref()));
            case ClientFrame.Auth auth -> throw new IllegalArgumentException("auth frames belong to the connection");
        }
    }

    /** Stamped here: the gateway's ingest time is the only clock the processor sees (D2, D11). */
    private InboundCommand command(Object command) {
        return new InboundCommand(UUID.randomUUID().toString(), clock.instant(), command);
    }

    private static void answer(ClientSession session, String ref, String id, boolean always,
                               CompletableFuture<?> publish) {
        publish.whenComplete((written, error) -> {
            if (error != null) {
                log.warn("cannot publish a client command (ref {}, id {})", ref, id, error);
                session.send(ServerFrame.Error.of(ref, id, ErrorCode.INTERNAL, "not stored, please retry"));
            } else if (always || ref != null) {
                session.send(new ServerFrame.Ok(ref, id));
            }
        });
    }
}
