package dev.canonic.dynamics;

/**
 * Physical units of the 3D systems (SPEC §Units): positions in kpc, velocities in km/s, masses in
 * M☉, and G = 4.300917e-6 kpc (km/s)² / M☉.
 *
 * <p>With x in kpc and v in km/s the natural time unit of the equations of motion is
 * 1 kpc / (1 km/s) = 3.0856776e16 s = 0.9777922 Gyr (Julian years of 365.25 days). The integrators
 * work in whatever time unit the force field implies; every 3D routine in this package that takes
 * a time documents whether it is in Gyr or in kpc/(km/s). Frequencies come out in km/s/kpc
 * (= 1/0.9777922 Gyr⁻¹ = 1.0227122 Gyr⁻¹). 1D systems are dimensionless.
 *
 * <p>The ACTIONFINDER paper (Ibata et al. 2021) normalises positions by 20 kpc and velocities by
 * 200 km/s, hence actions by 4000 kpc km/s: see {@link #POSITION_SCALE_KPC}.
 */
public final class Units {
    /** Gravitational constant in kpc (km/s)² / M☉. */
    public static final double G = 4.300917e-6;
    /** Seconds in one kpc / (km/s): 1 kpc = 3.0856775814913673e16 km. */
    public static final double KPC_KM = 3.0856775814913673e16;
    /** Seconds in a Julian gigayear (365.25 d). */
    public static final double GYR_S = 3.15576e16;
    /** One kpc/(km/s) in Gyr: 0.97779222... */
    public static final double GYR_PER_KPC_KMS = KPC_KM / GYR_S;
    /** One km/s in kpc/Gyr: 1.0227122... */
    public static final double KPC_PER_GYR_PER_KMS = 1.0 / GYR_PER_KPC_KMS;
    /** The paper's position scale, kpc. */
    public static final double POSITION_SCALE_KPC = 20.0;
    /** The paper's velocity scale, km/s. */
    public static final double VELOCITY_SCALE_KMS = 200.0;
    /** The resulting action scale, kpc km/s. */
    public static final double ACTION_SCALE = POSITION_SCALE_KPC * VELOCITY_SCALE_KMS;

    private Units() {
    }

    /** A time in Gyr expressed in the internal unit kpc/(km/s). */
    public static double gyrToInternal(double gyr) {
        return gyr / GYR_PER_KPC_KMS;
    }

    /** A time in the internal unit kpc/(km/s) expressed in Gyr. */
    public static double internalToGyr(double t) {
        return t * GYR_PER_KPC_KMS;
    }
}
