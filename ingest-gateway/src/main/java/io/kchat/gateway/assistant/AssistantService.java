package io.kchat.gateway.assistant;

import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.conversations.ConversationService;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.schemas.AssistantUser;
import io.kchat.settings.AssistantModel;
import java.util.Optional;

/**
 * The assistant as this deployment offers it (D15): only with a model configured, the same one the assistant worker
 * calls. Without one, {@link #availability()} says so (a client asks at every start, and a browser would log an
 * error status as a console error on every page of a deployment without a model) and creating a conversation is
 * refused 503 {@value #UNAVAILABLE}; a client hides the feature.
 */
public final class AssistantService {

    /** {@code reason} of the 503 when no model is configured. */
    public static final String UNAVAILABLE = "unavailable";

    /**
     * {@code GET /v1/assistant}: {@code name} is the assistant's user's display name, {@code model} the model's; all
     * three null (left out of the JSON) when not {@code available}.
     */
    public record Availability(boolean available, String userId, String name, String model) {

        static final Availability NONE = new Availability(false, null, null, null);
    }

    private final Database database;
    private final ConversationService conversations;
    private final Optional<AssistantModel> model;
    private final UserStore users = new UserStore();

    public AssistantService(Database database, ConversationService conversations, Optional<AssistantModel> model) {
        this.database = database;
        this.conversations = conversations;
        this.model = model;
    }

    /** Who the assistant is and which model it calls; {@link Availability#NONE} when no model is configured. */
    public Availability availability() {
        if (model.isEmpty()) {
            return Availability.NONE;
        }
        AssistantModel configured = model.get();
        // migration V11 wrote the row: a database without it is not this schema, not a client's mistake
        UserProfile assistant = database.withConnection(c -> users.find(c, AssistantUser.ID))
                .orElseThrow(() -> new IllegalStateException("the assistant's user is missing (migration V11)"));
        return new Availability(true, assistant.userId(), assistant.displayName(), configured.model());
    }

    /**
     * A new assistant conversation of {@code actorId}, titled {@code title} or the default when null.
     *
     * @throws Refusal 503 {@value #UNAVAILABLE} when no model is configured, 400 an invalid title, 503 Kafka
     *                 unavailable (as for a group)
     */
    public ConversationService.Created createConversation(String actorId, String title) {
        requireModel();
        return conversations.createAssistant(actorId, title);
    }

    private AssistantModel requireModel() {
        return model.orElseThrow(() -> Refusal.unavailable("assistant unavailable")
                .withReason(UNAVAILABLE));
    }
}
