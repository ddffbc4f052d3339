package io.kchat.images;

import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link ImageRuntimeIT} on the image's JRE with the service's class path: loads the native libraries
 * the service's dependencies bundle, as they would at run time, and prints which it loaded. Reflection, as
 * this module does not compile against the services' dependencies.
 */
public final class NativeLibrariesCheck {

    /** Class and static method that load each library; a class not on the service's class path is skipped. */
    private static final List<String[]> LOADERS = List.of(
            new String[] {"rocksdb", "org.rocksdb.RocksDB", "loadLibrary"},
            new String[] {"zstd", "com.github.luben.zstd.util.Native", "load"},
            new String[] {"snappy", "org.xerial.snappy.Snappy", "getNativeLibraryVersion"},
            new String[] {"lz4", "net.jpountz.lz4.LZ4Factory", "nativeInstance"});

    private NativeLibrariesCheck() {
    }

    public static void main(String[] args) throws Exception {
        List<String> loaded = new ArrayList<>();
        for (String[] loader : LOADERS) {
            Class<?> type;
            try {
                type = Class.forName(loader[1]);
            } catch (ClassNotFoundException e) {
                continue; // not a dependency of this service
            }
            type.getMethod(loader[2]).invoke(null);
            loaded.add(loader[0]);
        }
        // the test reads this line; a failure above ends the JVM with a stack trace and a non-zero status
        System.out.println("loaded " + String.join(",", loaded));
    }
}
