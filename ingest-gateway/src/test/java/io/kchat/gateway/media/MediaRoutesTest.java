package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MediaRoutesTest {

    private static MediaRow row(String type, String name) {
        return new MediaRow("m_x", "u", type, 1, "00", name, null, null);
    }

    @Test
    void imagesAreShownInlineEverythingElseIsDownloaded() {
        assertEquals("inline", MediaRoutes.disposition(row("image/png", null)));
        assertEquals("attachment", MediaRoutes.disposition(row("application/pdf", null)));
        assertEquals("attachment", MediaRoutes.disposition(row("text/plain; charset=utf-8", null)));
    }

    @Test
    void namesAreQuotedSafelyWithTheRealNameEncoded() {
        assertEquals("attachment; filename=\"Gr__e _.pdf\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%22.pdf",
                MediaRoutes.disposition(row("application/pdf", "Grüße \".pdf")));
        assertEquals("inline; filename=\"a_b.png\"; filename*=UTF-8''a%3Bb.png",
                MediaRoutes.disposition(row("image/png", "a;b.png")));
    }
}
