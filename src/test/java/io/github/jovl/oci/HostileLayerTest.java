package io.github.jovl.oci;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every fixture of the hostile corpus is refused with one line that names the entry, and writes nothing outside. */
class HostileLayerTest {
    @TempDir
    Path tmp;

    @TestFactory
    List<DynamicTest> eachHostileLayerIsRefused() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, HostileLayers.Fixture> f : HostileLayers.all().entrySet()) {
            tests.add(DynamicTest.dynamicTest(f.getKey(), () -> {
                Path sandbox = Files.createDirectories(tmp.resolve(f.getKey()));
                Path dir = Files.createDirectories(sandbox.resolve("a/b/layer"));
                BadArchiveException e = assertThrows(BadArchiveException.class, () -> LayerImport.unpack(
                        new ByteArrayInputStream(f.getValue().archive()), dir,
                        UnpackOptions.forCurrentUser(true, w -> { })));
                String msg = e.getMessage();
                assertFalse(msg.contains("\n"), "one line: " + msg);
                assertTrue(msg.contains(f.getValue().entryInMessage()), () -> "names the entry: " + msg);
                try (var s = Files.walk(sandbox)) {
                    assertTrue(s.allMatch(p -> p.startsWith(dir) || dir.startsWith(p)),
                            "nothing written beside the layer");
                }
                assertFalse(Files.exists(Path.of("/etc/evil")));
            }));
        }
        return tests;
    }
}
