package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `jovl image mount` end to end through `jovl mount` (the FUSE daemon): a two-layer docker archive whose top
 * layer deletes a file, mounted, changed, unmounted, remounted with the same container, and committed.
 */
class OciImageMountIT {
    @TempDir
    Path tmp;
    Path mnt;

    @AfterEach
    void cleanUp() throws Exception {
        if (mnt != null && !Mounts.under(mnt).isEmpty()) {
            Mounts.detachAllUnder(mnt);
        }
    }

    record Run(int code, String out, String err) {
        String last() {
            List<String> l = out.lines().toList();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }
    }

    static Run run(Object cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    static byte[] tar(String... nameContent) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            for (int i = 0; i < nameContent.length; i += 2) {
                byte[] data = nameContent[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(nameContent[i]);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    Path dockerArchive() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("archive"));
        byte[] l1 = tar("a", "from base", "gone", "deleted above");
        byte[] l2 = tar(".wh.gone", "", "b", "from top");
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.of(l1) + "\",\"" + Digest.of(l2) + "\"]}}";
        byte[] c = config.getBytes(StandardCharsets.UTF_8);
        Files.write(d.resolve(Digest.of(c).hex() + ".json"), c);
        Files.write(d.resolve("l1.tar"), l1);
        Files.write(d.resolve("l2.tar"), l2);
        Files.writeString(d.resolve("manifest.json"), "[{\"Config\":\"" + Digest.of(c).hex()
                + ".json\",\"RepoTags\":[\"demo:1\"],\"Layers\":[\"l1.tar\",\"l2.tar\"]}]");
        return d;
    }

    @Test
    void imageMountChangeRemountCommit() throws Exception {
        Prereq.requireFuse();
        String root = tmp.resolve("store").toString();
        Run imp = run(new ImageCommand(), "import", dockerArchive().toString(), "--root", root);
        assertEquals(0, imp.code(), imp.err());
        String id = imp.last();
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        Run m = run(new ImageCommand(), "mount", "demo:1", mnt.toString(), "--name", "c1", "--root", root);
        assertEquals(0, m.code(), m.err());
        assertEquals("c1", m.last());
        try {
            assertEquals("from base", Files.readString(mnt.resolve("a")));
            assertEquals("from top", Files.readString(mnt.resolve("b")));
            assertFalse(Files.exists(mnt.resolve("gone")));
            Files.writeString(mnt.resolve("c"), "added");
            Files.delete(mnt.resolve("a"));
        } finally {
            Run u = run(new ImageCommand(), "umount", mnt.toString(), "--root", root);
            assertEquals(0, u.code(), u.err());
        }
        assertEquals(List.of(), Mounts.under(mnt));
        Run again = run(new ImageCommand(), "mount", id.substring(7, 19), mnt.toString(), "--name", "c1",
                "--root", root);
        assertEquals(0, again.code(), again.err());
        try {
            assertEquals("added", Files.readString(mnt.resolve("c")), "the container's upper is reused");
            assertFalse(Files.exists(mnt.resolve("a")));
        } finally {
            assertEquals(0, run(new ImageCommand(), "umount", mnt.toString(), "--root", root).code());
        }
        Run commit = run(new CommitCommand(), "c1", "--tag", "demo:2", "--root", root);
        assertEquals(0, commit.code(), commit.err());
        Run ls = run(new ImageCommand(), "ls", "--root", root);
        assertTrue(ls.out().contains("demo:2") && ls.out().contains(" 3 layers"), ls.out());
        Run rm = run(new ImageCommand(), "rm", "demo:1", "--root", root);
        assertEquals(1, rm.code(), "container c1 still uses demo:1");
        assertTrue(rm.err().contains("c1"), rm.err());
    }
}
