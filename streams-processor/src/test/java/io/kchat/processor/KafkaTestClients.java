package io.kchat.processor;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Plain clients over catalogue topics for integration tests. */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    /** The processor on the shared broker under {@code prefix}, its state in {@code stateDir}, defaults otherwise. */
    public static ProcessorConfig processorConfig(String bootstrap, String prefix, Path stateDir) {
        return ProcessorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "CHAT_TOPIC_PREFIX", prefix,
                "CHAT_STATE_DIR", stateDir.toString()));
    }

    /** Creates the egress topics of {@code nodes}, as their gateways do at start: the user side writes to no other. */
    public static void egressOf(String bootstrap, TopicCatalogue topics, String... nodes) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1).ensure(Arrays.stream(nodes).map(topics::egress).toList());
        }
    }

    /** Publishes the creation of direct conversation {@code conversationId}, as REST does (D1). */
    public static void directConversation(String bootstrap, TopicCatalogue topics, String conversationId, String owner,
                                          String member) {
        produce(bootstrap, topics.inbound(), conversationId, new InboundCommand("create-" + conversationId,
                Instant.now(), new ConversationChanged(ConversationEventKind.CREATED, owner, null,
                new ConversationSnapshot(conversationId, ConversationType.DIRECT, null,
                        List.of(new Member(owner, MemberRole.OWNER), new Member(member, MemberRole.MEMBER)), 1L, false, false, null))));
    }

    public static <K, V> void produce(String bootstrap, Topic<K, V> topic, K key, V value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static <K, V> KafkaConsumer<K, V> consumer(String bootstrap, Topic<K, V> topic, String isolation) {
        var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    public static <K, V> List<ConsumerRecord<K, V>> drain(KafkaConsumer<K, V> consumer, List<ConsumerRecord<K, V>> into) {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
            into.add(record);
        }
        return into;
    }

    public static <T> List<T> newList() {
        return new ArrayList<>();
    }
}
