package io.github.jovl.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jovl.config.MountOptions;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.mount.Backend;
import io.github.jovl.mount.MountHandle;
import io.github.jovl.mount.MountSettings;
import io.github.jovl.mount.Mounter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsx-style: random writes at offsets, truncates (shrinking and growing, leaving holes) and reads on files that
 * start in a lower layer, through a real FUSE mount; every read is checked against an in-memory model of each
 * file. Then the mount is taken down and made again, and every file must equal its model, as must the upper copy;
 * the lower must be unchanged. Seeded: -Djovl.fsx.seed, -Djovl.fsx.ops.
 */
class DataIntegrityIT {
    private static final int FILES = 4;
    private static final int MAX_SIZE = 3 << 20;

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "mounts left behind (now detached)");
    }

    @Test
    void randomReadsWritesAndTruncatesMatchTheModelBeforeAndAfterRemount() throws Exception {
        Prereq.requireRoot();
        Prereq.requireFuse();
        long seed = Long.getLong("jovl.fsx.seed", 7);
        int ops = Integer.getInteger("jovl.fsx.ops", 4000);
        Random r = new Random(seed);
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        byte[][] model = new byte[FILES][];
        byte[][] original = new byte[FILES][];
        for (int i = 0; i < FILES; i++) {
            original[i] = new byte[r.nextInt(MAX_SIZE / 2)];
            r.nextBytes(original[i]);
            Files.write(lower.resolve("f" + i), original[i]);
            model[i] = original[i].clone();
        }
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        String opts = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        int reads = 0;
        try (MountHandle h = mount(opts, mnt)) {
            FileChannel[] ch = new FileChannel[FILES];
            try {
                for (int n = 0; n < ops; n++) {
                    int f = r.nextInt(FILES);
                    if (ch[f] == null || r.nextInt(200) == 0) { // reopen now and then: copy-up, then reopen paths
                        if (ch[f] != null) {
                            ch[f].close();
                        }
                        ch[f] = FileChannel.open(mnt.resolve("f" + f), StandardOpenOption.READ,
                                StandardOpenOption.WRITE);
                    }
                    int kind = r.nextInt(10);
                    if (kind < 4) {
                        model[f] = write(ch[f], model[f], r, seed, n);
                    } else if (kind < 5) {
                        int size = r.nextInt(MAX_SIZE);
                        ch[f].truncate(size);
                        if (size > model[f].length) { // FileChannel.truncate never grows: extend like ftruncate
                            ch[f].write(ByteBuffer.wrap(new byte[1]), size - 1);
                        }
                        model[f] = Arrays.copyOf(model[f], size);
                    } else {
                        read(ch[f], model[f], r, "seed " + seed + " op " + n + " file f" + f);
                        reads++;
                    }
                }
            } finally {
                for (FileChannel c : ch) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
        try (MountHandle h = mount(opts, mnt)) {
            for (int i = 0; i < FILES; i++) {
                assertArrayEquals(model[i], Files.readAllBytes(mnt.resolve("f" + i)), "f" + i + " after remount");
            }
        }
        for (int i = 0; i < FILES; i++) {
            assertArrayEquals(model[i], Files.readAllBytes(upper.resolve("f" + i)), "upper copy of f" + i);
            assertArrayEquals(original[i], Files.readAllBytes(lower.resolve("f" + i)), "lower f" + i + " untouched");
        }
        System.out.println("fsx: seed " + seed + ", " + ops + " operations on " + FILES + " files, " + reads
                + " reads checked against the model");
    }

    private static MountHandle mount(String opts, Path mnt) throws Exception {
        return Mounter.mount(Backend.FUSE, MountOptions.parse(List.of(opts)), mnt,
                new MountSettings(true, false, Duration.ofSeconds(30), System.err));
    }

    private static byte[] write(FileChannel c, byte[] m, Random r, long seed, int n) throws Exception {
        int off = r.nextInt(Math.max(1, Math.min(MAX_SIZE - 1, m.length + 4096)));
        int len = 1 + r.nextInt(Math.min(256 << 10, MAX_SIZE - off));
        byte[] data = new byte[len];
        new Random(seed * 1_000_003 + n).nextBytes(data);
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            c.write(b, off + b.position());
        }
        byte[] out = m.length < off + len ? Arrays.copyOf(m, off + len) : m;
        System.arraycopy(data, 0, out, off, len);
        return out;
    }

    private static void read(FileChannel c, byte[] m, Random r, String where) throws Exception {
        int off = m.length == 0 ? 0 : r.nextInt(m.length + 100);
        int len = 1 + r.nextInt(128 << 10);
        ByteBuffer b = ByteBuffer.allocate(len);
        int got = 0;
        while (b.hasRemaining()) {
            int k = c.read(b, off + got);
            if (k <= 0) {
                break;
            }
            got += k;
        }
        int expect = Math.max(0, Math.min(len, m.length - off));
        assertEquals(expect, got, where + ": bytes read at " + off);
        int from = Math.min(off, m.length); // a read past the end returns nothing
        assertArrayEquals(Arrays.copyOfRange(m, from, from + expect), Arrays.copyOf(b.array(), got),
                where + ": data at " + off);
    }
}
