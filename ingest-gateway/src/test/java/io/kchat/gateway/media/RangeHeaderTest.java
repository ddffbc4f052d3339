package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeHeaderTest {

    @Test
    void aClosedRangeIsClampedToTheEnd() {
        assertEquals(Optional.of(new ByteRange(100, 199)), RangeHeader.parse("bytes=100-199", 1000));
        assertEquals(Optional.of(new ByteRange(900, 999)), RangeHeader.parse("bytes=900-5000", 1000));
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertEquals(Optional.of(new ByteRange(10, 999)), RangeHeader.parse("bytes=10-", 1000));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertEquals(Optional.of(new ByteRange(950, 999)), RangeHeader.parse("bytes=-50", 1000));
        assertEquals(Optional.of(new ByteRange(0, 999)), RangeHeader.parse("bytes=-5000", 1000));
    }

    @Test
    void whatIsNotOneByteRangeMeansTheWholeObject() {
        for (String header : new String[] {null, "", "bytes=", "bytes=-", "items=0-10", "bytes=0-10,20-30",
                "bytes=20-10", "bytes=a-b", "bytes=99999999999999999999-"}) {
            assertEquals(Optional.empty(), RangeHeader.parse(header, 1000), String.valueOf(header));
        }
    }

    @Test
    void aRangeBeyondTheEndIsUnsatisfiable() {
        RangeHeader.Unsatisfiable e = assertThrows(RangeHeader.Unsatisfiable.class,
                () -> RangeHeader.parse("bytes=1000-", 1000));
        assertEquals(1000, e.size());
        assertThrows(RangeHeader.Unsatisfiable.class, () -> RangeHeader.parse("bytes=-0", 1000));
    }

    @Test
    void contentRangeNamesTheBytesAndTheWhole() {
        assertEquals("bytes 100-199/1000", new ByteRange(100, 199).contentRange(1000));
        assertEquals("bytes=100-199", new ByteRange(100, 199).header());
        assertEquals(100, new ByteRange(100, 199).length());
    }
}
