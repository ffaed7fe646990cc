package io.github.jovl.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store: dedup, atomic refusal, verify, images by name and ID prefix, usage checks. */
class StoreTest {
    @TempDir
    Path tmp;
    Store store;
    LayerStore layers;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(tmp.resolve("store"));
        layers = new LayerStore(store, w -> { });
    }

    /** Every path in the store with its size and type: equal listings mean nothing visible changed. */
    List<String> snapshot() throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = Files.walk(store.root())) {
            for (Path p : s.sorted().toList()) {
                if (!p.getFileName().toString().equals("lock")) {
                    out.add(store.root().relativize(p) + (Files.isRegularFile(p) ? " " + Files.size(p) : ""));
                }
            }
        }
        return out;
    }

    @Test
    void aLayerImportedTwiceIsStoredOnceAndRemembersBothBlobs() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x").build();
        byte[] gz = HostileLayers.compress(Compression.GZIP, tar);
        LayerInfo one = layers.importLayer(new ByteArrayInputStream(tar), null, null, "t");
        LayerInfo two = layers.importLayer(new ByteArrayInputStream(gz), Digest.of(gz), null, "t");
        assertEquals(one.diffId(), two.diffId());
        assertEquals(1, layers.list().size());
        assertEquals(List.of(Digest.of(gz).toString()), layers.list().get(0).blobDigests());
        assertEquals("x", Files.readString(layers.rootOf(Digest.of(tar)).resolve("a")));
        try (var s = Files.list(store.root().resolve("tmp"))) {
            assertEquals(0, s.count(), "no staging left");
        }
    }

    @Test
    void everyHostileLayerLeavesTheStoreUnchanged() throws Exception {
        layers.importLayer(new ByteArrayInputStream(new TarBuilder().file("ok", "1").build()), null, null, "t");
        List<String> before = snapshot();
        for (var f : HostileLayers.all().entrySet()) {
            assertThrows(BadArchiveException.class, () -> layers.importLayer(
                    new ByteArrayInputStream(f.getValue().archive()), null, null, f.getKey()), f.getKey());
            assertEquals(before, snapshot(), f.getKey());
        }
    }

    @Test
    void digestMismatchIsRefusedAndNothingStored() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x").build();
        List<String> before = snapshot();
        Digest wrong = Digest.of(new byte[] {1});
        BadArchiveException e = assertThrows(BadArchiveException.class,
                () -> layers.importLayer(new ByteArrayInputStream(tar), wrong, null, "blob.tar"));
        assertTrue(e.getMessage().contains("blob.tar") && e.getMessage().contains("digest mismatch"), e.getMessage());
        assertThrows(BadArchiveException.class,
                () -> layers.importLayer(new ByteArrayInputStream(tar), null, wrong, "blob.tar"));
        assertEquals(before, snapshot());
    }

    @Test
    void verifyFindsAChangedFile() throws Exception {
        LayerInfo l = layers.importLayer(new ByteArrayInputStream(new TarBuilder().dir("d").file("d/f", "1").build()),
                null, null, "t");
        assertEquals(List.of(), layers.verify());
        Files.writeString(layers.rootOf(l.digest()).resolve("d/f"), "2");
        List<String> problems = layers.verify();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("d/f"), problems.get(0));
    }

    @Test
    void stagingOfADeadProcessIsRemovedOnOpen() throws Exception {
        Path stale = Files.createDirectories(store.root().resolve("tmp/999999999-layer-x/root"));
        Path live = store.newStaging("layer");
        Store.open(store.root());
        assertFalse(Files.exists(stale.getParent()));
        assertTrue(Files.exists(live), "this process is alive: its staging stays");
    }

    @Test
    void dockerArchiveAndOciLayoutImportShareLayersAndResolve() throws Exception {
        List<byte[]> ls = ImageFixtures.twoLayers();
        Path docker = ImageFixtures.tar(ImageFixtures.dockerArchive(tmp.resolve("docker"), ls, "demo:1"),
                tmp.resolve("docker.tar"));
        Path oci = ImageFixtures.ociLayout(tmp.resolve("layout"), ls, "v2");
        ImageImporter imp = new ImageImporter(store, layers, m -> { });
        ImageInfo a = imp.importFrom(docker, null, null).get(0);
        ImageInfo b = imp.importFrom(oci, null, null).get(0);
        assertEquals(a.id(), b.id(), "same config, same image ID");
        assertEquals(2, layers.list().size(), "layers shared");
        ImageStore images = new ImageStore(store);
        assertEquals(List.of("demo:1", "layout:v2"), images.get(a.digest()).names());
        assertEquals(a.id(), images.resolve("demo:1").id());
        assertEquals(a.id(), images.resolve(a.digest().hex().substring(0, 6)).id());
        assertEquals(a.id(), images.resolve(a.id()).id());
        assertThrows(StoreException.class, () -> images.resolve("nope:1"));
        Digest base = a.layerDigests().get(0);
        StoreException inUse = assertThrows(StoreException.class, () -> layers.remove(base, images.usersOf(base)));
        assertTrue(inUse.getMessage().contains("demo:1"), inUse.getMessage());
        images.remove(a.digest());
        layers.remove(base, images.usersOf(base));
        assertFalse(layers.exists(base));
        assertTrue(Files.isRegularFile(layers.rootOf(a.layerDigests().get(1)).resolve("d/b")));
    }

    @Test
    void anOciLayoutWithABadLayerDigestLeavesTheStoreUnchanged() throws Exception {
        List<byte[]> ls = ImageFixtures.twoLayers();
        Path oci = ImageFixtures.ociLayout(tmp.resolve("layout"), ls, "v1");
        // corrupt the top layer's blob: the base is imported first, and must be removed again
        byte[] top = HostileLayers.compress(Compression.GZIP, ls.get(1));
        Path blob = oci.resolve("blobs/sha256/" + Digest.of(top).hex());
        byte[] bad = HostileLayers.compress(Compression.GZIP, new TarBuilder().file("evil", "e").build());
        Files.write(blob, bad);
        List<String> before = snapshot();
        ImageImporter imp = new ImageImporter(store, layers, m -> { });
        BadArchiveException e = assertThrows(BadArchiveException.class, () -> imp.importFrom(oci, null, null));
        assertTrue(e.getMessage().contains("size mismatch") || e.getMessage().contains("digest mismatch"),
                e.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void commitAddsTheContainersChangesAsALayer() throws Exception {
        List<byte[]> ls = ImageFixtures.twoLayers();
        ImageInfo img = new ImageImporter(store, layers, m -> { })
                .importFrom(ImageFixtures.dockerArchive(tmp.resolve("docker"), ls, "demo:1"), null, null).get(0);
        ContainerStore cs = new ContainerStore(store);
        cs.createOrReuse("c1", img);
        Files.writeString(cs.upper("c1").resolve("added"), "new");
        ImageInfo next = new ContainerCommit(store, layers, w -> { }).commit("c1", "demo:2", 0L);
        assertEquals(3, next.layers().size());
        assertEquals(img.layers(), next.layers().subList(0, 2));
        assertEquals("new", Files.readString(layers.rootOf(next.layerDigests().get(2)).resolve("added")));
        assertEquals(next.id(), new ImageStore(store).resolve("demo:2").id());
        ImageInfo again = new ContainerCommit(store, layers, w -> { }).commit("c1", "demo:3", 0L);
        assertEquals(next.layers(), again.layers(), "the same upper gives the same DiffID");
    }

    @Test
    void ociArchiveAndCompressedDockerSaveImportLikeTheirDirectories() throws Exception {
        List<byte[]> ls = ImageFixtures.twoLayers();
        Path ociTar = ImageFixtures.tar(ImageFixtures.ociLayout(tmp.resolve("layout"), ls, "v1"),
                tmp.resolve("oci.tar"));
        Path docker = ImageFixtures.tar(ImageFixtures.dockerArchive(tmp.resolve("docker"), ls, "demo:1"),
                tmp.resolve("docker.tar"));
        Path dockerGz = tmp.resolve("docker.tar.gz");
        Files.write(dockerGz, HostileLayers.compress(Compression.GZIP, Files.readAllBytes(docker)));
        ImageImporter imp = new ImageImporter(store, layers, m -> { });
        ImageInfo a = imp.importFrom(ociTar, null, null).get(0);
        ImageInfo b = imp.importFrom(dockerGz, null, "other:tag").get(0);
        assertEquals(a.id(), b.id());
        assertEquals(List.of("oci:v1", "demo:1", "other:tag"), new ImageStore(store).get(a.digest()).names());
        try (var s = Files.list(store.root().resolve("tmp"))) {
            assertEquals(0, s.count(), "the extracted archives are gone");
        }
    }

    @Test
    void aDockerArchiveWhoseConfigNameDisagreesWithItsDigestIsRefused() throws Exception {
        List<byte[]> ls = ImageFixtures.twoLayers();
        Path d = ImageFixtures.dockerArchive(tmp.resolve("docker"), ls, "demo:1");
        Path config;
        try (var s = Files.list(d)) {
            config = s.filter(p -> p.toString().endsWith(".json") && !p.endsWith("manifest.json")).findFirst()
                    .orElseThrow();
        }
        Files.writeString(config, Files.readString(config).replace("/bin/sh", "/bin/xx"));
        List<String> before = snapshot();
        BadArchiveException e = assertThrows(BadArchiveException.class,
                () -> new ImageImporter(store, layers, m -> { }).importFrom(d, null, null));
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertEquals(before, snapshot());
    }
}
