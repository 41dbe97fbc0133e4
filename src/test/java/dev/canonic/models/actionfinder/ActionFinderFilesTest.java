package dev.canonic.models.actionfinder;

import dev.canonic.dynamics.ReferenceSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionFinderFilesTest {
    @Test
    void roundTripGivesIdenticalOutputs(@TempDir Path dir) throws IOException {
        ActionFinderConfig c = ActionFinderConfig.cpu().withStartAtToy(false).withLoss(ActionFinderConfig.LossKind.SPREAD);
        ActionFinderModel m = new ActionFinderModel(c, ReferenceSystem.PAPER_GM * 1.1, 5.3, false, 4);
        m.eval();
        AccelerationNet a = new AccelerationNet(AccelerationNet.cpuConfig(), 1.2e6, 4.0, 5);
        a.net().parameters().get(a.net().parameters().size() - 1).set(dev.canonic.core.Tensor.full(0.25, 3));
        InverseNet inv = new InverseNet(InverseNet.cpuConfig(), 4000, 6);
        Path f = dir.resolve("m.npz");
        ActionFinderFiles.save(f, m, a, inv);
        ActionFinderFiles.Saved s = ActionFinderFiles.load(f);
        assertEquals(c, s.model().config());
        assertEquals(m.toy().gm(), s.model().toy().gm(), 0.0);
        assertEquals(m.toy().fixed(), s.model().toy().fixed());
        Object[] d = ActionFinderTrainerTest.firstStreams(3);
        Streams st = Streams.of((long[]) d[1], 2);
        double[][] o1 = m.actionsAngles((double[]) d[0], st), o2 = s.model().actionsAngles((double[]) d[0], st);
        assertArrayEquals(o1[0], o2[0], 0.0);
        assertArrayEquals(o1[1], o2[1], 0.0);
        ActionFinderModel mp = new ActionFinderModel(ActionFinderConfig.cpu().withStartAtToy(false), ReferenceSystem.PAPER_GM, 5, true, 9);
        mp.eval();
        double[] withGraph = mp.forward(dev.canonic.core.Tensor.of((double[]) d[0], st.rows(), 6), st).terms();
        try (dev.canonic.core.GradMode.Scope ng = dev.canonic.core.GradMode.noGrad()) {
            // the forward pass needs derivatives of G, and takes them even inside a caller's no-grad scope
            ActionFinderModel.Output o3 = s.model().forward(dev.canonic.core.Tensor.of((double[]) d[0], st.rows(), 6), st);
            assertArrayEquals(o1[0], o3.actions().toArray(), 0.0);
            double[] noGraph = mp.forward(dev.canonic.core.Tensor.of((double[]) d[0], st.rows(), 6), st).terms();
            assertArrayEquals(withGraph, noGraph, 0.0);
            assertTrue(noGraph[3] > 0, "zero-point term " + noGraph[3]);
        }
        double[] x = Arrays.copyOf((double[]) d[0], 6);
        assertArrayEquals(a.accelerations(x, 2), s.acceleration().accelerations(x, 2), 0.0);
        assertArrayEquals(inv.toyCoordinates(o1[0], o1[1], st.rows())[0], s.inverse().toyCoordinates(o1[0], o1[1], st.rows())[0], 0.0);

        ActionFinderFiles.save(f, m, null, null);
        ActionFinderFiles.Saved s2 = ActionFinderFiles.load(f);
        assertNull(s2.acceleration());
        assertNull(s2.inverse());
    }

    @Test
    void badFilesFailNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("none.npz");
        IOException e1 = assertThrows(IOException.class, () -> ActionFinderFiles.load(missing));
        assertTrue(e1.getMessage().contains("none.npz"), e1.getMessage());

        Path f = dir.resolve("m.npz");
        ActionFinderFiles.save(f, new ActionFinderModel(ActionFinderConfig.cpu(), ReferenceSystem.PAPER_GM, 5, true, 1), null, null);
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e2 = assertThrows(IOException.class, () -> ActionFinderFiles.load(cut));
        assertTrue(e2.getMessage().contains("cut.npz"), e2.getMessage());

        Path text = dir.resolve("text.npz");
        Files.writeString(text, "not a zip");
        IOException e3 = assertThrows(IOException.class, () -> ActionFinderFiles.load(text));
        assertTrue(e3.getMessage().contains("text.npz"), e3.getMessage());

        Path other = dir.resolve("other.npz");
        dev.canonic.io.Npz.write(other, java.util.Map.of("x", new dev.canonic.io.NdArray(new double[] {1}, new int[] {1})));
        IOException e4 = assertThrows(IOException.class, () -> ActionFinderFiles.load(other));
        assertTrue(e4.getMessage().contains("not a Canonic model-B"), e4.getMessage());
    }
}
