package dev.canonic.dynamics;

import dev.canonic.cli.Main;
import dev.canonic.io.OrbitCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceActionsCommandTest {
    @Test
    void oneDimensionalAndThreeDimensionalFiles(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("p.csv");
        Files.writeString(in, "id,z,vz\n7,0.5,0.3\n8,1.0,-0.2\n");
        Path out = dir.resolve("a.csv");
        assertEquals(0, Main.execute("reference-actions", "--system", "harmonic", "--param", "omega=0.5", "--input", in.toString(), "--out", out.toString()));
        OrbitCsv.Table t = OrbitCsv.read(out, List.of("id", "z", "vz", "J", "theta", "Omega"));
        double[] r = new HarmonicActionAngle(0.5).actionAngle(1.0, -0.2);
        assertEquals(r[0], t.column("J")[1], 0);
        assertEquals(r[1], t.column("theta")[1], 0);
        assertEquals(8, t.column("id")[1]);

        Path in3 = dir.resolve("p3.csv");
        Files.writeString(in3, "x,y,z,vx,vy,vz,name\n8,0,0,0,200,20,a\n8,0,0,0,3000,0,b\nnan,0,0,0,1,0,c\n");
        Path out3 = dir.resolve("a3.csv");
        assertEquals(0, Main.execute("reference-actions", "--system", "isochrone", "--input", in3.toString(), "--out", out3.toString()));
        List<String> lines = Files.readAllLines(out3);
        assertTrue(lines.get(0).endsWith("JR,Lz,Jz,thetaR,thetaphi,thetaz,OmegaR,Omegaphi,Omegaz,error"), lines.get(0));
        assertTrue(lines.get(1).endsWith(","), lines.get(1));
        assertTrue(lines.get(2).contains("unbound"), lines.get(2));
        assertTrue(lines.get(3).contains("not finite") || lines.get(3).contains("NaN"), lines.get(3));
        double[] iso = new IsochroneActionAngle(Isochrone.paper()).actionAngle(new double[] {8, 0, 0}, new double[] {0, 200, 20});
        assertEquals(iso[0], OrbitCsv.read(out3, List.of("JR")).column("JR")[0], 0);
        // missing column
        assertEquals(2, Main.execute("reference-actions", "--system", "isochrone", "--input", in.toString(), "--out", out3.toString()));
    }
}
