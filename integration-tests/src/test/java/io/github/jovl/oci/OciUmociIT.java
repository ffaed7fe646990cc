package io.github.jovl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.it.KernelMounter;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the real tools: umoci builds a three-layer OCI image with real whiteouts (deleted files and a
 * deleted directory tree), skopeo turns it into a docker-archive, and jovl imports both. The layers stacked on a
 * kernel overlay must show exactly the tree `umoci unpack` produces; a jovl export added with umoci on top of
 * the image must give the same tree as the jovl mount it came from; and commit, export and re-import of a
 * container's changes must give the same layer and the same tree again.
 */
class OciUmociIT {
    @TempDir
    Path tmp;
    final List<Path> mounted = new ArrayList<>();
    final KernelMounter kernel = new KernelMounter();

    @BeforeEach
    void prerequisites() {
        Prereq.requireKernelOverlay();
        Prereq.require(Prereq.onPath("umoci"), "umoci");
        Prereq.require(Prereq.onPath("skopeo"), "skopeo");
    }

    @AfterEach
    void unmountAll() throws Exception {
        for (int i = mounted.size() - 1; i >= 0; i--) {
            if (!Mounts.under(mounted.get(i)).isEmpty()) {
                kernel.unmount(mounted.get(i));
            }
        }
        assertEquals(List.of(), Mounts.under(tmp), "nothing left mounted");
    }

    static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    /** base: files of every kind; v2: deletions (file, dir tree), a changed and an added file; v3: more. */
    Path buildImage() throws Exception {
        run(tmp, "umoci", "init", "--layout", "img");
        run(tmp, "umoci", "new", "--image", "img:base");
        run(tmp, "umoci", "unpack", "--image", "img:base", "b1");
        Path r = tmp.resolve("b1/rootfs");
        Files.createDirectories(r.resolve("etc"));
        Files.writeString(r.resolve("etc/os-release"), "ID=test\n");
        Files.createDirectories(r.resolve("usr/bin"));
        Files.writeString(r.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
        Native.chmod(r.resolve("usr/bin/tool").toString(), 04755);
        Files.createSymbolicLink(r.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(r.resolve("etc/abs"), Path.of("/etc/os-release"));
        Files.createLink(r.resolve("usr/bin/tool2"), r.resolve("usr/bin/tool"));
        Files.createDirectories(r.resolve("home/user/.config"));
        Files.writeString(r.resolve("home/user/.config/rc"), "rc");
        Native.lchown(r.resolve("home/user").toString(), 1000, 1000);
        Native.lchown(r.resolve("home/user/.config/rc").toString(), 1000, 100);
        Native.mknod(r.resolve("etc/fifo").toString(), 0010644, 0);
        Native.mknod(r.resolve("etc/null").toString(), 0020666, io.github.jovl.fs.Stat.makedev(1, 3));
        Native.setxattr(r.resolve("etc/os-release").toString(), "user.origin", "test".getBytes(), 0);
        Files.createDirectories(r.resolve("var/cache/pkg/sub"));
        Files.writeString(r.resolve("var/cache/pkg/sub/a"), "a");
        Files.writeString(r.resolve("var/cache/pkg/b"), "b");
        Files.writeString(r.resolve("tmpfile"), "gone soon");
        Files.createDirectories(r.resolve("opt/app"));
        Files.writeString(r.resolve("opt/app/old"), "old");
        run(tmp, "umoci", "repack", "--image", "img:base", "b1");

        run(tmp, "umoci", "unpack", "--image", "img:base", "b2");
        r = tmp.resolve("b2/rootfs");
        Files.delete(r.resolve("tmpfile"));
        Trees.delete(r.resolve("var/cache/pkg"));
        Files.writeString(r.resolve("etc/os-release"), "ID=test\nVERSION=2\n");
        Files.writeString(r.resolve("etc/new"), "new");
        run(tmp, "umoci", "repack", "--image", "img:v2", "b2");

        run(tmp, "umoci", "unpack", "--image", "img:v2", "b3");
        r = tmp.resolve("b3/rootfs");
        Trees.delete(r.resolve("opt/app"));
        Files.createDirectories(r.resolve("opt/app"));
        Files.writeString(r.resolve("opt/app/new"), "new");
        Files.delete(r.resolve("usr/bin/tool2"));
        Files.createDirectories(r.resolve("var/cache/pkg"));
        Files.writeString(r.resolve("var/cache/pkg/again"), "again");
        run(tmp, "umoci", "repack", "--image", "img:v3", "b3");
        run(tmp, "umoci", "unpack", "--image", "img:v3", "expected");
        return tmp.resolve("img");
    }

    /** Mounts the image's layers with a container's upper on a kernel overlay; returns the mountpoint. */
    Path mount(Store store, LayerStore layers, ImageInfo image, String container, String at) throws Exception {
        ContainerStore cs = new ContainerStore(store);
        cs.createOrReuse(container, image);
        Path mnt = Files.createDirectories(tmp.resolve(at));
        kernel.mount(LayerExport.lowerRoots(layers, image), cs.upper(container), cs.work(container), mnt);
        mounted.add(mnt);
        return mnt;
    }

    void unmount(Path mnt) throws Exception {
        kernel.unmount(mnt);
        mounted.remove(mnt);
    }

    /** Names, types, modes, owners, contents, symlinks, devices and xattrs; the root's own line is the bundle's. */
    static List<String> tree(Path root) throws IOException {
        List<String> l = new ArrayList<>(new TreeListing(root, false).lines());
        l.remove(0);
        return l;
    }

    @Test
    void importedUmociAndSkopeoImagesMountAsUmociUnpacksThem() throws Exception {
        Path layout = buildImage();
        run(tmp, "skopeo", "copy", "oci:img:v3", "docker-archive:" + tmp.resolve("docker.tar") + ":demo:v3");
        Store store = Store.open(tmp.resolve("store"));
        LayerStore layers = new LayerStore(store, w -> { });
        ImageImporter imp = new ImageImporter(store, layers, m -> { });
        ImageInfo fromOci = imp.importFrom(layout, "v3", null).get(0);
        ImageInfo fromDocker = imp.importFrom(tmp.resolve("docker.tar"), null, null).get(0);
        assertEquals(3, fromOci.layers().size());
        assertEquals(fromOci.layers(), fromDocker.layers(), "the same DiffIDs from both forms");
        assertEquals(fromOci.id(), fromDocker.id(), "one config, one image ID");
        assertEquals(List.of("img:v3", "docker.io/library/demo:v3"),
                new ImageStore(store).get(fromOci.digest()).names(), "both forms' names on the one image");
        assertEquals(fromOci.id(), new ImageStore(store).resolve("demo:v3").id(), "docker's short name");
        List<String> expected = tree(tmp.resolve("expected/rootfs"));
        assertTrue(expected.stream().anyMatch(s -> s.startsWith("etc/null char")), "the fixture has a device");
        for (ImageInfo i : List.of(fromOci, fromDocker)) {
            Path mnt = mount(store, layers, i, "c-" + i.source(), "mnt-" + i.source());
            try {
                assertEquals(expected, tree(mnt), i.source());
            } finally {
                unmount(mnt);
            }
        }
        assertEquals(List.of(), layers.verify());
        assertEquals(List.of(), new Blobs(store).verify());
    }

    @Test
    void exportAddedWithUmociGivesTheMountedTreeAndRoundTripsThroughCommit() throws Exception {
        Path layout = buildImage();
        Store store = Store.open(tmp.resolve("store"));
        LayerStore layers = new LayerStore(store, w -> { });
        ImageInfo image = new ImageImporter(store, layers, m -> { }).importFrom(layout, "v3", null).get(0);
        Path mnt = mount(store, layers, image, "work", "mnt");
        List<String> changed;
        ContainerStore cs = new ContainerStore(store);
        try {
            assertTrue(cs.inUse("work"), "a kernel overlay names the upper in its options");
            assertThrows(StoreException.class, () -> cs.remove("work"));
            assertThrows(StoreException.class, () -> cs.createOrReuse("work", image), "mounted twice");
            Files.delete(mnt.resolve("etc/new"));                       // whiteout
            Trees.delete(mnt.resolve("home/user"));                      // a lower directory tree
            Files.createDirectories(mnt.resolve("home/user"));           // again: an opaque directory
            Files.writeString(mnt.resolve("home/user/fresh"), "fresh");
            Files.writeString(mnt.resolve("etc/os-release"), "ID=changed\n");   // copy-up keeps the xattr
            Native.chmod(mnt.resolve("usr/bin/tool").toString(), 0700);
            Files.createDirectories(mnt.resolve("srv/data"));
            Files.writeString(mnt.resolve("srv/data/x"), "x");
            Files.createLink(mnt.resolve("srv/data/y"), mnt.resolve("srv/data/x"));
            Native.setxattr(mnt.resolve("srv/data/x").toString(), "user.bin", new byte[] {0, (byte) 0xfe}, 0);
            Native.lchown(mnt.resolve("srv/data").toString(), 33, 33);
            changed = tree(mnt);
        } finally {
            unmount(mnt);
        }
        assertFalse(cs.inUse("work"));
        // export, add with umoci on top of v3, unpack: the tree the jovl mount showed
        Path tar = tmp.resolve("change.tar");
        LayerExport.Result exported;
        try (OutputStream o = Files.newOutputStream(tar)) {
            exported = new LayerExport(cs.upper("work"), new LowerView(LayerExport.lowerRoots(layers, image)),
                    new LayerExport.Options(Compression.NONE, null, w -> { })).writeTo(o);
        }
        run(tmp, "umoci", "raw", "add-layer", "--image", "img:v3", "--tag", "v4", tar.toString());
        run(tmp, "umoci", "unpack", "--image", "img:v4", "v4");
        assertEquals(changed, tree(tmp.resolve("v4/rootfs")));

        // commit; the committed layer is the exported one, byte for byte the same DiffID
        ImageInfo committed = new ContainerCommit(store, layers, w -> { }).commit("work", "demo:next", null);
        assertEquals(exported.diffId().toString(), committed.layers().get(3));
        Path again = mount(store, layers, committed, "again", "mnt-again");
        try {
            assertEquals(changed, tree(again));
        } finally {
            unmount(again);
        }
        // re-import the exported layer (gzip this time) into a fresh store with the base image: same layer
        Store other = Store.open(tmp.resolve("store2"));
        LayerStore otherLayers = new LayerStore(other, w -> { });
        new ImageImporter(other, otherLayers, m -> { }).importFrom(layout, "v3", null);
        Path gz = tmp.resolve("change.tar.gz");
        try (InputStream in = Files.newInputStream(tar); OutputStream o = Compression.GZIP.compress(
                Files.newOutputStream(gz))) {
            in.transferTo(o);
        }
        LayerInfo re;
        try (InputStream in = Files.newInputStream(gz)) {
            re = otherLayers.importLayer(in, null, null, gz.toString());
        }
        assertEquals(exported.diffId().toString(), re.diffId());
        List<Path> lowers = new ArrayList<>(List.of(otherLayers.rootOf(re.digest())));
        lowers.addAll(LayerExport.lowerRoots(otherLayers, image));
        Path ro = Files.createDirectories(tmp.resolve("mnt-reimported"));
        kernel.mount(lowers, null, null, ro);
        mounted.add(ro);
        try {
            assertEquals(changed, tree(ro));
        } finally {
            unmount(ro);
        }
    }
}
