package io.kchat.gateway.media;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.auth.sessions.AuthenticatedSession;
import io.kchat.gateway.auth.sessions.BearerAuth;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.http.JsonResponses;
import io.kchat.gateway.http.ProblemCode;
import io.kchat.gateway.http.Requests;
import io.kchat.gateway.media.content.ThumbnailSize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code POST /v1/media}, {@code GET /v1/media/{mediaId}} and {@code GET /v1/media/{mediaId}/thumbnail}, authenticated.
 *
 * <p>Every download is served as if hostile, whatever was checked at upload: {@code nosniff} so a browser never
 * guesses another type, {@code Content-Security-Policy: sandbox} so a document opened from it runs nothing and has no
 * origin, and {@code attachment} disposition for everything but images.
 */
public final class MediaRoutes implements HttpService {

    private static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    /** Ids never change content; a browser may keep them a while, but no shared cache may (they are per reader). */
    private static final String CACHE = "private, max-age=3600";

    private final Media media;
    private final BearerAuth bearer;

    public MediaRoutes(Media media, BearerAuth bearer) {
        this.media = media;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/media", this::upload)
                .get("/v1/media/{mediaId}", this::download)
                .get("/v1/media/{mediaId}/thumbnail", this::thumbnail);
    }

    private void upload(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = authenticate(request);
        OptionalLong length = request.headers().contentLength();
        if (length.isEmpty()) {
            // the store is written in one streamed PUT, whose length must be known before the first byte
            throw new ApiException(411, ProblemCode.BAD_REQUEST, "length required",
                    "send the file with a Content-Length");
        }
        String declared = request.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        UploadedMedia uploaded = media.uploads().upload(session.userId(), Requests.queryParam(request, "name"), declared,
                length.getAsLong(), request.content().inputStream());
        response.header(HeaderNames.LOCATION, "/v1/media/" + uploaded.mediaId());
        JsonResponses.send(response, 201, uploaded);
    }

    private void download(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = authenticate(request);
        String rangeHeader = request.headers().first(HeaderNames.RANGE).orElse(null);
        MediaDownloads.Download download;
        try {
            download = media.downloads().original(session.userId(), Requests.pathParam(request, "mediaId"), rangeHeader);
        } catch (RangeHeader.Unsatisfiable e) {
            throw new ApiException(416, ProblemCode.BAD_REQUEST, "range not satisfiable", null,
                    Map.of("Content-Range", "bytes */" + e.size()));
        }
        try (ObjectStore.StoredObject object = download.object()) {
            MediaRow row = download.media();
            safeHeaders(response, row.contentType());
            response.header(HeaderNames.ACCEPT_RANGES, "bytes");
            response.header(HeaderNames.ETAG, "\"" + row.sha256() + "\"");
            response.header(HeaderNames.CONTENT_DISPOSITION, disposition(row));
            download.range().ifPresent(range -> {
                response.status(Status.PARTIAL_CONTENT_206);
                response.header(HeaderNames.CONTENT_RANGE, range.contentRange(row.size()));
            });
            response.headers().contentLength(object.length());
            try (OutputStream out = response.outputStream()) {
                object.content().transferTo(out);
            } catch (IOException e) {
                // the reader went away mid-download: nothing to answer any more
                throw new UncheckedIOException(e);
            }
        }
    }

    private void thumbnail(ServerRequest request, ServerResponse response) {
        AuthenticatedSession session = authenticate(request);
        String sizeName = Requests.queryParam(request, "size");
        ThumbnailSize size = ThumbnailSize.fromParameter(sizeName == null ? "medium" : sizeName)
                .orElseThrow(() -> ApiException.badRequest("invalid size", "size must be small or medium"));
        MediaDownloads.Image thumbnail = media.downloads().thumbnail(session.userId(),
                Requests.pathParam(request, "mediaId"), size);
        safeHeaders(response, thumbnail.contentType());
        response.header(HeaderNames.CONTENT_DISPOSITION, "inline");
        response.send(thumbnail.bytes());
    }

    /** Authenticated first (401 before 503), then refused when there is no store. */
    private AuthenticatedSession authenticate(ServerRequest request) {
        AuthenticatedSession session = bearer.authenticate(request);
        if (!media.available()) {
            throw Refusal.unavailable("media storage is not configured (S3_ENDPOINT)");
        }
        return session;
    }

    private static void safeHeaders(ServerResponse response, String contentType) {
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(CONTENT_SECURITY_POLICY, "sandbox");
        response.header(HeaderNames.CACHE_CONTROL, CACHE);
    }

    /** RFC 6266: an ASCII fallback name and the real one percent-encoded (RFC 8187). */
    static String disposition(MediaRow media) {
        String kind = media.isImage() ? "inline" : "attachment";
        if (media.name() == null) {
            return kind;
        }
        String ascii = media.name().replaceAll("[^\\x20-\\x7e]|[\"\\\\;%]", "_");
        String encoded = URLEncoder.encode(media.name(), StandardCharsets.UTF_8).replace("+", "%20");
        return kind + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
