package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeapInfoTest {

    @Test
    void readsG1UsedAndReservedAndIgnoresMetaspace() {
        HeapInfo heap = HeapInfo.parse("""
                12345:
                garbage-first heap   total reserved 524288K, committed 14336K, used 2934K [0x00000000e0000000, 0x0000000100000000)
                 region size 1024K, 0 young (0K), 0 survivors (0K)
                 Metaspace       used 1024K, committed 1280K, reserved 1114112K
                  class space    used 90K, committed 192K, reserved 1048576K
                """);

        assertEquals(2934L * 1024, heap.usedBytes());
        assertEquals(512L * 1024 * 1024, heap.reservedBytes());
    }

    @Test
    void sumsTheGenerationsOfSerialGc() {
        HeapInfo heap = HeapInfo.parse("""
                 def new generation   total 4928K, used 100K [0x0, 0x1, 0x2)
                 tenured generation   total 10944K, used 2M [0x3, 0x4, 0x5)
                 Metaspace       used 1024K, committed 1280K, reserved 1114112K
                """);

        assertEquals(100L * 1024 + 2L * 1024 * 1024, heap.usedBytes());
        assertEquals(-1, heap.reservedBytes());
    }

    @Test
    void refusesOutputWithoutAHeap() {
        assertThrows(IllegalArgumentException.class, () -> HeapInfo.parse("12345:\nNo such process"));
    }
}
