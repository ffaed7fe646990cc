package io.github.jovl.scenario;

import static io.github.jovl.scenario.LayerSpec.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.Errno;
import io.github.jovl.it.Prereq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness must be able to fail: marker decoding reads every form, a wrong expectation and a changed lower
 * are reported, and two different runs do not compare equal. Without this a broken snapshot could make every
 * scenario pass.
 */
class HarnessSelfTest {
    @TempDir
    Path tmp;

    @Test
    void markerSnapshotDecodesEveryForm() throws Exception {
        Prereq.require(Prereq.isRoot(), "root, for trusted.* markers and char devices");
        LayerSpec spec = layer().file("f", "x").whiteout("cw").whiteoutFile("ww").dir("xd").xattrWhiteout("xd/xw")
                .opaque("ot").opaqueUser("ou").opaqueFuseOverlayfs("of").opaqueWhFile("oh").dir("plain");
        Path dir = Files.createDirectories(tmp.resolve("l"));
        spec.materialize(dir, "trusted.overlay.", FixtureTimes.UPPER_SEC);
        Tree t = Tree.markers(dir);
        assertEquals("whiteout(chardev)", t.get("cw").describe());
        assertEquals("whiteout(whfile)", t.get("ww").describe());
        assertEquals("whiteout(xattr)", t.get("xd/xw").describe());
        assertEquals("trusted", t.get("ot").opaque());
        assertEquals("user", t.get("ou").opaque());
        assertEquals("fuseoverlayfs", t.get("of").opaque());
        assertEquals("whfile", t.get("oh").opaque());
        assertNull(t.get("plain").opaque());
        assertNull(t.get("xd").opaque(), "opaque=x marks xattr whiteouts, it is not opaque");
        assertNull(t.get(".wh.ww"), "the .wh. file itself is decoded, not listed");
        assertNull(t.get("oh/.wh..wh..opq"));
        assertEquals("file 0644 0:0 size=1 data=\"x\"", t.get("f").describe());
        assertTrue(Tree.exact(dir).get("cw").describe().startsWith("char 0000"), "exact mode decodes nothing");
    }

    @Test
    void kernelFormXattrMarkersAreWrittenInTheNamespaceAskedFor() throws Exception {
        LayerSpec spec = layer().opaque("o").dir("xd").xattrWhiteout("xd/xw");
        assertTrue(spec.xattrMarkers());
        assertTrue(Scenario.of("self", "markers").layers(Layers.lowers(spec)).needsRoot());
        assertFalse(Scenario.of("self", "markers").layers(Layers.lowers(spec)).needsRootPowers());
        Path dir = Files.createDirectories(tmp.resolve("u"));
        spec.materialize(dir, "user.overlay.", FixtureTimes.UPPER_SEC);
        Tree t = Tree.markers(dir);
        assertEquals("user", t.get("o").opaque());
        assertEquals("whiteout(xattr)", t.get("xd/xw").describe());
        assertNull(io.github.jovl.sys.Native.getxattrOrNull(dir.resolve("o").toString(), "trusted.overlay.opaque"));
    }

    @Test
    void aWrongExpectationAndAChangedLowerAreReported() throws Exception {
        Scenario s = Scenario.of("self", "wrong on purpose")
                .layers(Layers.lowers(layer().file("a", "x")))
                .does(Ops.read("a").gives("not x"), Ops.stat("nope").fails(Errno.EEXIST))
                .expect(Expect.hidden("a"), Expect.upperWhiteout("a"));
        Outcome o = Runner.run(s, new EngineBackend(WhiteoutFormat.WHFILE, XattrNamespace.AUTO, true),
                Files.createDirectories(tmp.resolve("run")));
        String why = Runner.verify(s, o);
        assertNotNull(why);
        assertTrue(why.contains("step 1 read(a): expected not x, got OK x"), why);
        assertTrue(why.contains("step 2 stat(nope): expected EEXIST, got ENOENT"), why);
        assertTrue(why.contains("view /a is absent: shown as file"), why);
        assertTrue(why.contains("upper /a is a whiteout: absent"), why);

        Files.writeString(tmp.resolve("run/layers/lower0/a"), "changed behind the engine's back");
        Tree before = Tree.exact(Files.createDirectories(tmp.resolve("empty")));
        assertTrue(Tree.diff("a", before, "b", Tree.exact(tmp.resolve("run/layers/lower0"))).contains("/a"));
    }

    @Test
    void differentRunsDoNotCompareEqual() throws Exception {
        Scenario s = Scenario.of("self", "unlink").layers(Layers.lowers(layer().file("a", "x")))
                .does(Ops.unlink("a"));
        Scenario t = Scenario.of("self", "no unlink").layers(Layers.lowers(layer().file("a", "x")))
                .does(Ops.stat("nope").fails(Errno.ENOENT));
        EngineBackend b = new EngineBackend(WhiteoutFormat.WHFILE, XattrNamespace.AUTO, true);
        Outcome one = Runner.run(s, b, Files.createDirectories(tmp.resolve("1")));
        Outcome two = Runner.run(t, b, Files.createDirectories(tmp.resolve("2")));
        String why = Runner.compare(s, one.as("one"), two.as("two"));
        assertNotNull(why);
        assertTrue(why.contains("step 1 unlink(a): one OK, two ENOENT"), why);
        assertTrue(why.contains("merged views differ"), why);
        assertTrue(why.contains("upper dirs differ"), why);
        assertEquals(List.of(), one.problems());
    }
}
