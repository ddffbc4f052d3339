package io.kchat.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SettingsTest {

    private static final Setting<Integer> PORT = Setting.integer("PORT", 8080, "a port");
    private static final Setting<Duration> BEAT = Setting.duration("BEAT", Duration.ofSeconds(5), "a beat")
            .formerly("BEAT_MS", Durations.plainNumberOf(ChronoUnit.MILLIS));
    private static final Setting<String> URL = Setting.requiredText("URL", "where it is");
    private enum Sender { LOG, WEBHOOK }

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void listen() {
        warnings.start();
        ((Logger) LoggerFactory.getLogger(Settings.class)).addAppender(warnings);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(Settings.class)).detachAppender(warnings);
    }

    private static Settings of(String... pairs) {
        java.util.HashMap<String, String> environment = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            environment.put(pairs[i], pairs[i + 1]);
        }
        return Settings.of(environment);
    }

    @Test
    void trimsValuesAndTakesBlankForUnset() {
        assertEquals(9000, of("PORT", " 9000\n").get(PORT));
        assertEquals(8080, of("PORT", "   ").get(PORT));
        assertEquals(8080, of().get(PORT));
        assertEquals(Optional.empty(), of("PORT", "").find(PORT), "find ignores the default");
    }

    @Test
    void aValueThatCannotBeReadNamesTheVariableAndTheValue() {
        SettingException e = assertThrows(SettingException.class, () -> of("PORT", "80a").get(PORT));
        assertEquals("PORT='80a': not a whole number", e.getMessage());
        SettingException duration = assertThrows(SettingException.class, () -> of("BEAT", "5").get(BEAT));
        assertEquals("BEAT='5': not " + Durations.FORM, duration.getMessage());
    }

    @Test
    void aRequiredSettingThatIsUnsetSaysWhatItIs() {
        SettingException e = assertThrows(SettingException.class, () -> of("URL", " ").get(URL));
        assertEquals("URL is required: where it is", e.getMessage());
        assertEquals("jdbc:x", of("URL", "jdbc:x").get(URL));
    }

    @Test
    void aFormerSpellingIsReadWithAWarningNamingTheNewOne() {
        Settings settings = of("BEAT_MS", "1500");
        assertEquals(Duration.ofMillis(1500), settings.get(BEAT));
        assertEquals(Duration.ofMillis(1500), settings.get(BEAT));
        assertEquals(1, warnings.list.size(), "warned once: " + warnings.list);
        assertTrue(warnings.list.getFirst().getFormattedMessage().contains("write BEAT=1500ms"),
                warnings.list.getFirst().getFormattedMessage());
    }

    @Test
    void theNewSpellingWinsOverTheFormerOne() {
        assertEquals(Duration.ofSeconds(2), of("BEAT", "2s", "BEAT_MS", "1500").get(BEAT));
        assertTrue(warnings.list.getFirst().getFormattedMessage().contains("BEAT_MS is ignored"));
    }

    @Test
    void isoDurationsAreStillReadWithAWarning() {
        assertEquals(Duration.ofSeconds(5), of("BEAT", "PT5S").get(BEAT));
        assertTrue(warnings.list.getFirst().getFormattedMessage().contains("write BEAT=5s"));
        assertThrows(SettingException.class, () -> of("BEAT", "PTXS").get(BEAT));
    }

    @Test
    void flagsChoicesAndListsRefuseWhatTheyDoNotKnow() {
        Setting<Boolean> enabled = Setting.flag("ENABLED", true, "on or off");
        assertEquals(false, of("ENABLED", "FALSE").get(enabled));
        assertThrows(SettingException.class, () -> of("ENABLED", "yes").get(enabled), "not silently false");
        Setting<Sender> sender = Setting.choice("SENDER", Sender.class, Sender.LOG, "who sends");
        assertEquals(Sender.WEBHOOK, of("SENDER", "Webhook").get(sender));
        SettingException unknown = assertThrows(SettingException.class, () -> of("SENDER", "sms").get(sender));
        assertEquals("SENDER='sms': not one of [log, webhook]", unknown.getMessage());
        Setting<List<String>> origins = Setting.list("ORIGINS", "origins");
        assertEquals(List.of("a", "b"), of("ORIGINS", " a, ,b ,").get(origins));
        assertEquals(List.of(), of().get(origins));
    }

    @Test
    void theDefaultIsWrittenAsTheReferenceWritesIt() {
        assertEquals("5s", BEAT.defaultText());
        assertEquals("8080", PORT.defaultText());
        assertEquals("—", URL.defaultText());
        assertEquals("empty", Setting.text("PREFIX", "", "p").defaultText());
        assertEquals("0.5", Setting.decimal("RATE", 0.5, "r").defaultText());
        assertEquals("1", Setting.decimal("RATE", 1, "r").defaultText());
        assertEquals("unset: the shipped list", Setting.optionalPath("FILE", "the shipped list", "f").defaultText());
        assertEquals(Path.of("./data"), Setting.path("DIR", "./data", "d").defaultValue().orElseThrow());
        assertEquals(Need.DEPLOY, PORT.deploy().need());
        assertEquals(Need.REQUIRED, URL.need());
    }

    @Test
    void aSettingWithoutADefaultIsReadWithFind() {
        Setting<String> computed = Setting.computedText("NODE", "random", "n");
        assertEquals(Optional.of("gw-1"), of("NODE", "gw-1").find(computed));
        assertThrows(IllegalStateException.class, () -> of().get(computed));
        assertEquals("random", computed.defaultText());
    }

    @Test
    void theReplicationFactorFitsWhatTheAdminClientTakes() {
        assertEquals((short) 3, SharedSettings.replicationFactor(of("KAFKA_REPLICATION_FACTOR", "3")));
        assertEquals((short) 1, SharedSettings.replicationFactor(of()));
        assertThrows(SettingException.class, () -> SharedSettings.replicationFactor(of("KAFKA_REPLICATION_FACTOR", "0")));
        assertThrows(SettingException.class,
                () -> SharedSettings.replicationFactor(of("KAFKA_REPLICATION_FACTOR", "40000")));
    }

    @Test
    void aDurationsFormerSpellingIsItsNameWithTheUnitAppended() {
        Setting<Duration> retention = Setting.duration("RETENTION", Duration.ofHours(1), "r").formerlyIn(ChronoUnit.MINUTES);
        assertEquals("RETENTION_MINUTES", retention.former().orElseThrow().name());
        assertEquals(Duration.ofMinutes(90), of("RETENTION_MINUTES", "90").get(retention));
        assertEquals("BEAT_MS", BEAT.former().orElseThrow().name(), "the explicit spelling still works");
        Setting<Duration> computed = Setting.computedDuration("HEARTBEAT", "a fifth", "h").formerlyIn(ChronoUnit.MILLIS);
        assertEquals(Duration.ofMillis(1500), of("HEARTBEAT_MS", "1500").find(computed).orElseThrow());
        assertEquals(Duration.ofSeconds(2), of("HEARTBEAT", "PT2S").find(computed).orElseThrow(),
                "a duration without a default is still a duration");
        assertThrows(IllegalStateException.class, () -> PORT.formerlyIn(ChronoUnit.MILLIS), "only durations");
    }
}
