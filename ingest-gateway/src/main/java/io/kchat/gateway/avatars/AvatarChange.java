package io.kchat.gateway.avatars;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * The {@code avatarMediaId} of a PATCH body, which has three meanings: absent (keep the avatar: the field of the request
 * record is then {@code null}), {@code null} (remove it: {@link #CLEAR}) or a media id (use that image). A plain
 * String field could not tell the first two apart.
 *
 * @param mediaId the new avatar; null to remove it
 */
@JsonDeserialize(using = AvatarChange.Reader.class)
public record AvatarChange(String mediaId) {

    public static final AvatarChange CLEAR = new AvatarChange(null);

    public static AvatarChange to(String mediaId) {
        return new AvatarChange(mediaId);
    }

    public boolean clears() {
        return mediaId == null;
    }

    /** A JSON string or null; anything else is a wrong type (400 naming the field). */
    static final class Reader extends StdDeserializer<AvatarChange> {

        Reader() {
            super(AvatarChange.class);
        }

        @Override
        public AvatarChange deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (AvatarChange) context.handleUnexpectedToken(AvatarChange.class, parser);
            }
            return new AvatarChange(parser.getText());
        }

        /** An explicit JSON null. */
        @Override
        public AvatarChange getNullValue(DeserializationContext context) {
            return CLEAR;
        }

        /** No such property in the body. */
        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}
