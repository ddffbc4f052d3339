package io.kchat.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundledNativeLibrariesTest {

    private static final Set<String> AMD64 = Set.of("amd64", "x86_64", "linux64");

    /** Entry names as the services' dependencies have them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "librocksdbjni-linux64.so, true",
            "librocksdbjni-linux64-musl.so, false",
            "librocksdbjni-linux32.so, false",
            "librocksdbjni-linux-aarch64.so, false",
            "linux/amd64/libzstd-jni-1.5.6-10.so, true",
            "linux/i386/libzstd-jni-1.5.6-10.so, false",
            "org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so, true",
            "org/xerial/snappy/native/Linux/x86/libsnappyjava.so, false",
            "org/xerial/snappy/native/Linux/android-arm/libsnappyjava.so, false",
            "net/jpountz/util/linux/amd64/liblz4-java.so, true",
            "net/jpountz/util/darwin/x86_64/liblz4-java.dylib, false",
            "win/amd64/libzstd-jni-1.5.6-10.dll, false"})
    void picksTheGlibcLinuxLibrariesOfThisPlatform(String entry, boolean expected) {
        assertEquals(expected, BundledNativeLibraries.isForPlatform(entry, AMD64));
    }
}
