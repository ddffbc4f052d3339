package io.kchat.assistant.answer;

import io.kchat.assistant.intake.Question;
import io.kchat.assistant.model.ChatTurn;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context from the archive's earlier messages; with the database out of reach, the question alone. */
public final class ArchiveContext implements ContextSource {

    private static final Logger log = LoggerFactory.getLogger(ArchiveContext.class);

    private final ArchiveReader archive;
    private final ContextBuilder builder;

    public ArchiveContext(ArchiveReader archive, ContextBuilder builder) {
        this.archive = archive;
        this.builder = builder;
    }

    @Override
    public List<ChatTurn> turns(Question question) throws InterruptedException {
        List<ArchivedMessage> earlier;
        try {
            earlier = archive.earlier(question.conversationId(), question.seq(), builder.maxMessages());
        } catch (SQLException e) {
            // an answer without the history beats no answer while the database is away
            log.warn("cannot read the history of {} ({}); answering from the question alone",
                    question.conversationId(), e.getMessage());
            earlier = List.of();
        }
        return builder.turns(earlier, question.body());
    }
}
