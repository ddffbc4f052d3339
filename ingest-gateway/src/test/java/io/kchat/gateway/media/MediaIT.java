package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.gateway.media.content.TestMedia;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The media routes over the embedded S3 server and a real PostgreSQL: what an upload becomes, what a download
 * answers, who may read what, and that refused or truncated uploads leave nothing behind.
 */
class MediaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    private static RestApiFixture fixture;
    private static ReadModelRows rows;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Login ann;
    private static Login ben;
    private static Login eve;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.startWithMedia("MediaIT", media -> media.withMaxBytes(MAX_BYTES));
        rows = new ReadModelRows(fixture.database);
        ann = TestUsers.registerAndLogin(fixture.client, "ann");
        ben = TestUsers.registerAndLogin(fixture.client, "ben");
        eve = TestUsers.registerAndLogin(fixture.client, "eve");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void anUploadedImageComesBackWithItsTypeHashAndSize() throws Exception {
        byte[] png = png(300, 200);
        double storedBefore = count(MediaMeters.UPLOADS, "stored");
        double bytesBefore = count(MediaMeters.UPLOADED_BYTES, null);
        HttpResponse<String> created = upload(ann, png, "image/png", "../../holiday.png");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode media = JSON.readTree(created.body());
        String id = media.path("mediaId").asText();
        assertTrue(MediaKeys.isWellFormed(id), id);
        assertEquals("image/png", media.path("contentType").asText());
        assertEquals(png.length, media.path("size").asLong());
        assertEquals(sha256(png), media.path("sha256").asText());
        assertEquals(300, media.path("width").asInt());
        assertEquals(200, media.path("height").asInt());
        assertEquals("/v1/media/" + id, created.headers().firstValue("Location").orElseThrow());

        HttpResponse<byte[]> download = get(ann, "/v1/media/" + id, null);
        assertEquals(200, download.statusCode());
        assertArrayEquals(png, download.body());
        assertEquals("image/png", download.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("sandbox", download.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("inline; filename=\"holiday.png\"; filename*=UTF-8''holiday.png",
                download.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("bytes", download.headers().firstValue("Accept-Ranges").orElseThrow());
        assertTrue(count(MediaMeters.UPLOADS, "stored") >= storedBefore + 1);
        assertTrue(count(MediaMeters.UPLOADED_BYTES, null) >= bytesBefore + png.length);
    }

    @Test
    void aFileLargerThanTheHeadStreamsThroughWholeAndIsServedAsAnAttachment() throws Exception {
        byte[] pdf = pdf(3 * 1024 * 1024 + 17);
        HttpResponse<String> created = upload(ann, pdf, "application/pdf", "report.pdf");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode media = JSON.readTree(created.body());
        assertEquals("application/pdf", media.path("contentType").asText());
        assertEquals(sha256(pdf), media.path("sha256").asText());
        assertTrue(media.path("width").isMissingNode(), "no dimensions for a PDF");

        HttpResponse<byte[]> download = get(ann, "/v1/media/" + media.path("mediaId").asText(), null);
        assertArrayEquals(pdf, download.body());
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    }

    @Test
    void plainTextIsStoredAsUtf8TextAndServedAsAnAttachment() throws Exception {
        byte[] text = "Water the roses.\nGrüße\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = upload(ann, text, "text/plain", "notes.txt");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode media = JSON.readTree(created.body());
        assertEquals("text/plain; charset=utf-8", media.path("contentType").asText());
        HttpResponse<byte[]> download = get(ann, "/v1/media/" + media.path("mediaId").asText(), null);
        assertArrayEquals(text, download.body());
        assertEquals("text/plain; charset=utf-8", download.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    }

    @Test
    void rangesAreServedAsPartialContent() throws Exception {
        byte[] pdf = pdf(100_000);
        String id = uploadedId(ann, pdf, "application/pdf");

        HttpResponse<byte[]> middle = get(ann, "/v1/media/" + id, "bytes=100-199");
        assertEquals(206, middle.statusCode());
        assertArrayEquals(slice(pdf, 100, 200), middle.body());
        assertEquals("bytes 100-199/100000", middle.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> tail = get(ann, "/v1/media/" + id, "bytes=-500");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(slice(pdf, 99_500, 100_000), tail.body());

        HttpResponse<byte[]> open = get(ann, "/v1/media/" + id, "bytes=99990-");
        assertArrayEquals(slice(pdf, 99_990, 100_000), open.body());

        HttpResponse<byte[]> beyond = get(ann, "/v1/media/" + id, "bytes=100000-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */100000", beyond.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> several = get(ann, "/v1/media/" + id, "bytes=0-1,5-6");
        assertEquals(200, several.statusCode(), "several ranges: the whole file");
        assertArrayEquals(pdf, several.body());
    }

    @Test
    void onlyTheUploaderMembersOfItsConversationAndAnyoneForAnAvatarMayRead() throws Exception {
        String id = uploadedId(ann, png(10, 10), "image/png");
        String path = "/v1/media/" + id;
        assertEquals(200, get(ann, path, null).statusCode());
        assertEquals(404, get(ben, path, null).statusCode(), "not attached anywhere yet");
        assertEquals(404, get(eve, path, null).statusCode());

        String conversation = TestConversations.group(fixture.client, ann, "photos", ben);
        rows.message(conversation, 1, ann.userId(), "", Instant.now());
        rows.update("""
                INSERT INTO message_attachments (conversation_id, seq, position, media_id, content_type, size)
                VALUES (?, 1, 0, ?, 'image/png', 1)""", conversation, id);
        assertEquals(200, get(ben, path, null).statusCode(), "a member of the conversation");
        assertEquals(200, get(ben, path + "/thumbnail?size=small", null).statusCode());
        assertEquals(404, get(eve, path, null).statusCode(), "still a stranger");
        assertEquals(404, get(eve, path + "/thumbnail", null).statusCode());

        rows.update("DELETE FROM conversation_members WHERE conversation_id = ? AND user_id = ?", conversation,
                ben.userId());
        assertEquals(404, get(ben, path, null).statusCode(), "membership is checked at each read");

        rows.update("UPDATE users SET avatar_media_id = ? WHERE user_id = ?", id, ann.userId());
        assertEquals(200, get(eve, path, null).statusCode(), "an avatar is for everyone signed in");

        assertEquals(401, get(null, path, null).statusCode());
        assertEquals(404, get(ann, "/v1/media/m_AAAAAAAAAAAAAAAAAAAAAA", null).statusCode());
        assertEquals(404, get(ann, "/v1/media/..%2F..%2Fetc%2Fpasswd", null).statusCode());
    }

    @Test
    void thumbnailsFitTheirBoxAndAreNeverEnlarged() throws Exception {
        String id = uploadedId(ann, png(1000, 500), "image/png");
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(
                get(ann, "/v1/media/" + id + "/thumbnail?size=small", null).body()));
        assertEquals(96, small.getWidth());
        assertEquals(48, small.getHeight());
        BufferedImage medium = ImageIO.read(new ByteArrayInputStream(
                get(ann, "/v1/media/" + id + "/thumbnail?size=medium", null).body()));
        assertEquals(320, medium.getWidth());
        HttpResponse<byte[]> again = get(ann, "/v1/media/" + id + "/thumbnail?size=medium", null);
        assertEquals(200, again.statusCode(), "served again from the store");
        assertEquals("sandbox", again.headers().firstValue("Content-Security-Policy").orElseThrow());

        String tiny = uploadedId(ann, png(20, 10), "image/png");
        BufferedImage notEnlarged = ImageIO.read(new ByteArrayInputStream(
                get(ann, "/v1/media/" + tiny + "/thumbnail?size=medium", null).body()));
        assertEquals(20, notEnlarged.getWidth());

        String pdf = uploadedId(ann, pdf(1000), "application/pdf");
        assertEquals(404, get(ann, "/v1/media/" + pdf + "/thumbnail", null).statusCode(), "not an image");
        assertEquals(400, get(ann, "/v1/media/" + id + "/thumbnail?size=huge", null).statusCode());
    }

    @Test
    void aDecompressionBombIsStoredButNeverDecoded() throws Exception {
        byte[] bomb = TestMedia.hugePng(20_000, 20_000); // tens of KB that would decode to 1.6 GB of pixels
        HttpResponse<String> created = upload(ann, bomb, "image/png", "bomb.png");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode media = JSON.readTree(created.body());
        assertEquals(20_000, media.path("width").asInt());
        String id = media.path("mediaId").asText();
        HttpResponse<byte[]> thumbnail = get(ann, "/v1/media/" + id + "/thumbnail?size=small", null);
        assertEquals(404, thumbnail.statusCode());
        assertEquals("no_thumbnail", JSON.readTree(thumbnail.body()).path("reason").asText());
        try (var marker = fixture.media.objects().get(MediaKeys.noThumbnail(id), java.util.Optional.empty())
                .orElseThrow(() -> new AssertionError("the refusal is remembered in the store"))) {
            assertEquals(0, marker.length());
        }
        assertEquals(404, get(ann, "/v1/media/" + id + "/thumbnail?size=medium", null).statusCode(),
                "refused again without a decode");
        assertEquals(bomb.length, get(ann, "/v1/media/" + id, null).body().length, "the file itself is served");
    }

    @Test
    void typesAreTakenFromTheBytesAndRefusalsLeaveNothingBehind() throws Exception {
        long before = mediaRows(eve);
        double refusedBefore = count(MediaMeters.UPLOADS, "unsupported_type");
        HttpResponse<String> html = upload(eve, "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8),
                "image/png", "x.png");
        assertEquals(415, html.statusCode(), html.body());
        assertEquals("bad_request", JSON.readTree(html.body()).path("code").asText());

        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(415, upload(eve, svg, "image/svg+xml", "x.svg").statusCode());
        byte[] random = new byte[5000];
        new Random(7).nextBytes(random);
        assertEquals(415, upload(eve, random, "application/octet-stream", "x.bin").statusCode());

        HttpResponse<String> tooLarge = upload(eve, pdf((int) MAX_BYTES + 1), "application/pdf", "big.pdf");
        assertEquals(413, tooLarge.statusCode());
        assertEquals("too_large", JSON.readTree(tooLarge.body()).path("code").asText());

        HttpResponse<String> text = upload(eve, "plain words\n".getBytes(StandardCharsets.UTF_8), "image/png", "a.png");
        assertEquals(415, text.statusCode(), "text declared as an image");
        assertEquals(before, mediaRows(eve), "no refused upload left a row");
        assertTrue(count(MediaMeters.UPLOADS, "unsupported_type") >= refusedBefore + 4, "each refusal counted");
    }

    @Test
    void aTruncatedUploadLeavesNothingAndTheServerAnswersTheNext() throws Exception {
        long before = mediaRows(eve);
        byte[] pdf = pdf(200_000);
        try (Socket socket = new Socket("127.0.0.1", port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/media?name=cut.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + eve.accessToken() + "\r\nContent-Type: application/pdf\r\nContent-Length: " + pdf.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(pdf, 0, 120_000);
            out.flush();
            socket.shutdownOutput(); // the client gives up half-way
            socket.getInputStream().readAllBytes();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> mediaRows(eve) == before);
        assertEquals(201, upload(eve, pdf, "application/pdf", "whole.pdf").statusCode());
    }

    @Test
    void anUploadWithoutALengthIsRefused() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/media"))
                .header("Authorization", "Bearer " + ann.accessToken())
                .header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(pdf(1000))))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(411, answer.statusCode(), answer.body());
    }

    @Test
    void withoutAnObjectStoreMediaRoutesAnswer503() throws Exception {
        try (RestApiFixture bare = RestApiFixture.start("MediaIT-bare")) {
            Login someone = TestUsers.registerAndLogin(bare.client, "someone");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bare.client.port()
                            + "/v1/media"))
                    .header("Authorization", "Bearer " + someone.accessToken())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png(2, 2)))
                    .build();
            assertEquals(503, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertFalse(bare.media.available());
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, 0, 0x3366cc + x);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A PDF header, then filler, then its end marker: what a sniffer takes for a PDF, of any size. */
    static byte[] pdf(int size) {
        byte[] bytes = new byte[size];
        byte[] head = "%PDF-1.7\n%\u00e2\u00e3\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, bytes, 0, head.length);
        for (int i = head.length; i < size - 6; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        byte[] end = "%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(end, 0, bytes, size - end.length, end.length);
        return bytes;
    }

    private static HttpResponse<String> upload(Login who, byte[] bytes, String type, String name) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/media?name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + who.accessToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (type != null) {
            request.header("Content-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String uploadedId(Login who, byte[] bytes, String type) throws Exception {
        HttpResponse<String> created = upload(who, bytes, type, "file");
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).path("mediaId").asText();
    }

    private static HttpResponse<byte[]> get(Login who, String path, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (who != null) {
            request.header("Authorization", "Bearer " + who.accessToken());
        }
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static double count(String meter, String outcome) {
        var search = fixture.mediaRegistry.find(meter);
        if (outcome != null) {
            search = search.tag("outcome", outcome);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    private static long mediaRows(Login owner) {
        return fixture.database.withConnection(c -> {
            try (var select = c.prepareStatement("SELECT count(*) FROM media WHERE owner_id = ?")) {
                select.setString(1, owner.userId());
                try (var row = select.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static int port() {
        return fixture.client.port();
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
