package io.kchat.gateway.http;

import io.helidon.webserver.http.ServerRequest;

/** Path and query parameters, with a 400 for anything malformed. */
public final class Requests {

    private Requests() {
    }

    public static String pathParam(ServerRequest request, String name) {
        return request.path().pathParameters().get(name);
    }

    public static String queryParam(ServerRequest request, String name) {
        return request.query().first(name).orElse(null);
    }

    public static int intQueryParam(ServerRequest request, String name, int defaultValue) {
        String raw = queryParam(request, name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + name, name + " must be an integer");
        }
    }

    /** An optional non-negative integer such as a sequence number: null when absent, 400 when malformed. */
    public static Long nonNegativeLongQueryParam(ServerRequest request, String name) {
        String raw = queryParam(request, name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, like a negative value
        }
        throw ApiException.badRequest("invalid " + name, name + " must be a non-negative integer");
    }

    /** For fields every variant of a body needs: a 400 naming the field. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiException.badRequest("invalid request", field + " is required");
        }
        return value;
    }
}
