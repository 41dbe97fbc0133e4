/**
 * Dynamics: the ground truth every validation stands on. Uses the engine (for differentiable
 * potentials) and io, never the learned models.
 *
 * <h2>Units</h2>
 * 1D systems are dimensionless. 3D: kpc, km/s, M☉, G = 4.300917e-6 kpc (km/s)²/M☉; the natural time
 * unit of the equations of motion is kpc/(km/s) = 0.9777922 Gyr, frequencies come out in km/s/kpc,
 * actions in kpc km/s ({@link dev.canonic.dynamics.Units}). Angles are radians in [0, 2π).
 *
 * <h2>Where to start</h2>
 * <ul>
 *   <li>Potentials: {@link dev.canonic.dynamics.HarmonicOscillator}, {@link dev.canonic.dynamics.IsothermalSlab}
 *       ({@link dev.canonic.dynamics.Potential1D}); {@link dev.canonic.dynamics.Kepler},
 *       {@link dev.canonic.dynamics.Isochrone}, {@link dev.canonic.dynamics.Plummer},
 *       {@link dev.canonic.dynamics.Hernquist}, {@link dev.canonic.dynamics.Nfw},
 *       {@link dev.canonic.dynamics.LogarithmicHalo}, {@link dev.canonic.dynamics.MiyamotoNagai},
 *       {@link dev.canonic.dynamics.CompositePotential} ({@link dev.canonic.dynamics.Potential}). Each has
 *       double values and forces (single and batched) and a differentiable {@code value(Tensor)}.</li>
 *   <li>Integrators over batches stored flat (q[n·dim], p[n·dim]): {@link dev.canonic.dynamics.Leapfrog},
 *       {@link dev.canonic.dynamics.Yoshida4} ({@code advance(field, q, p, n, h, steps)}),
 *       {@link dev.canonic.dynamics.Orbits#trajectory}; the adaptive reference integrator
 *       {@link dev.canonic.dynamics.Dop853}.</li>
 *   <li>Reference action-angle calculators: {@link dev.canonic.dynamics.HarmonicActionAngle} (analytic,
 *       and its inverse), {@link dev.canonic.dynamics.ActionAngle1D} (any 1D potential by quadrature,
 *       and its inverse), {@link dev.canonic.dynamics.IsochroneActionAngle} (analytic, and its inverse),
 *       {@link dev.canonic.dynamics.SphericalActionAngle} (spherical potentials by quadrature);
 *       {@link dev.canonic.dynamics.ReferenceSystem} names them for the command line.</li>
 *   <li>Data sets: {@link dev.canonic.dynamics.OrbitDatasets}; astrometry:
 *       {@link dev.canonic.dynamics.Astrometry}; measured accuracies:
 *       {@link dev.canonic.dynamics.AccuracyReport}.</li>
 * </ul>
 */
package dev.canonic.dynamics;
