package io.github.jovl.it;

import io.github.jovl.config.MountOptions;
import io.github.jovl.mount.Backend;
import io.github.jovl.mount.MountHandle;
import io.github.jovl.mount.MountSettings;
import io.github.jovl.mount.Mounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * jovl's FUSE backend as a scenario mounter: a real kernel FUSE mount served by the real adapter and engine, in
 * this JVM (the daemon's re-launch is covered by MountLifecycleIT; here a mount costs tens of milliseconds, not a
 * JVM start). Writes kernel-form markers, as the daemon does as root.
 */
public final class FuseMounter implements io.github.jovl.scenario.Mounter {
    private final Map<Path, MountHandle> mounts = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public void mount(List<Path> lowersTopFirst, Path upper, Path work, Path mountpoint) throws Exception {
        MountHandle h = Mounter.mount(Backend.FUSE,
                MountOptions.parse(List.of(LayerOptions.of(lowersTopFirst, upper, work))), mountpoint,
                new MountSettings(true, false, Duration.ofSeconds(30), System.err));
        mounts.put(mountpoint.toAbsolutePath(), h);
    }

    @Override
    public void unmount(Path mountpoint) {
        MountHandle h = mounts.remove(mountpoint.toAbsolutePath());
        if (h != null) {
            h.close();
        }
    }
}
