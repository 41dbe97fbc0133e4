/**
 * Model B: the ACTIONFINDER (Ibata et al. 2021, ApJ 915, 5; ../shared/seeds/001, Listing 1, Eq. 3–19).
 *
 * <h2>Pipeline</h2>
 * <ol>
 * <li>{@link dev.canonic.models.actionfinder.IsochroneToy}: differentiable isochrone (θ, J) of (x, v),
 *     GM and b learnable or fixed; {@code invalidRows} / {@code invalidIndices} name the points with no
 *     toy coordinates (unbound, radial, exactly planar) so callers exclude them up front;
 *     {@code chooseBySpread} picks the GM, b whose actions vary least along the streams (every point
 *     bound; {@code chooseFor}: a quick binding guess); {@code phaseSpace} is the analytic inverse.</li>
 * <li>{@link dev.canonic.models.actionfinder.ActionFinderCore#pass}: Listing 1 for any G and P —
 *     fixed-point J′ per stream without graph, once more with graph, θ′ = θ + ∂G/∂J′ (mod 2π),
 *     θ″ from P, J″ through the inverse of the per-star 3×3 Jacobian ∂θ″/∂θ′ (ill-conditioned rows
 *     reported); loss terms {@code spread} (or the scale-free {@code relativeSpread}), {@code positivity}
 *     (Eq. 13), {@code zeroPoint}.</li>
 * <li>{@link dev.canonic.models.actionfinder.ActionFinderModel}: toy + netG + netP
 *     ({@link dev.canonic.nn.ResDenseNet}), presets in {@link dev.canonic.models.actionfinder.ActionFinderConfig}
 *     ({@code paper}: netG 15 blocks, netP 11 blocks, cap 1024, dropout 0.5 above width 256;
 *     {@code cpu}: both [32, 64, 32], no dropout).</li>
 * <li>{@link dev.canonic.models.actionfinder.Streams}: stream membership of rows for streams of any
 *     size and row order; differentiable segment means.</li>
 * </ol>
 *
 * <h2>Public API (stable)</h2>
 * <pre>{@code
 * // data: rows (x, y, z, vx, vy, vz) in kpc, km/s, flat B×6; one stream id per row (≥ 2 stars to train)
 * double[] gb = IsochroneToy.chooseBySpread(xv, n, stream);          // {GM, b, spread, ...}: least action spread, all bound
 * ActionFinderTrainer.Exclusion ex = ActionFinderTrainer.excludeInvalid(xv, ids, gb[0], gb[1]);  // ex.report()
 * ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.preset("cpu"), gb[0], gb[1], fixToy, seed);
 * ActionFinderTrainer t = new ActionFinderTrainer(m, ex.xv(), ex.ids(),
 *     ActionFinderTrainer.Settings.defaults(epochs, seed).withCheckpoint(ckpt, 1, resume)).progress(System.out::println);
 * ActionFinderTrainer.History h = t.train();                         // best test epoch's weights kept
 * Streams st = Streams.of(ids, 1);
 * double[][] ja = m.actionsAngles(xv, st);                           // {J″ B×3, θ″ B×3}
 * double[][] mc = m.actionsAnglesSampled(xv, st);                    // one Monte-Carlo dropout pass
 * // phase two (Eq. 14–17) and the fixed-potential variant (§7)
 * AccelerationNet a = new AccelerationNet(AccelerationNet.cpuConfig(), m.toy().gm(), m.toy().b(), seed);
 * AccelerationTrainer.train(m, a, xv, ids, t.split(), AccelerationTrainer.Settings.defaults(epochs, seed), System.out::println);
 * double[] acc = a.accelerations(x3, n);                             // (km/s)²/kpc
 * double[] omega = m.frequencies(xv, st, acc);                       // Ω″, km/s/kpc (Eq. 16)
 * double[][] djdtAndOmega = AccelerationTrainer.check(m, potential, xv, st);
 * // inverse (Eq. 18)
 * InverseNet inv = new InverseNet(InverseNet.cpuConfig(), 4000, seed);
 * inv.train(jdd, tdd, toyJ, toyTheta, trainMask, epochs, batch, lr, seed, null);
 * double[] xvBack = inv.phaseSpace(m.toy(), jdd, tdd, n);
 * // files
 * ActionFinderFiles.save(path, m, a, inv);                           // a, inv may be null
 * ActionFinderFiles.Saved s = ActionFinderFiles.load(path);
 * // W6 benchmark step
 * ActionFinderStep.Inputs in = ActionFinderStep.setup(1024, 8, seed);
 * ActionFinderStep.Result r = ActionFinderStep.step(in);
 * }</pre>
 * Bad input fails with IllegalArgumentException (or IOException for files) naming the row, stream or
 * file; a non-finite loss fails with IllegalStateException naming the epoch and the loss term.
 *
 * <h2>Names and units</h2>
 * Actions are exposed as (J_R, L_z, J_z) in kpc km/s and angles as (θ_R, θ_φ, θ_z) in radians [0, 2π),
 * the order of {@link dev.canonic.dynamics.IsochroneActionAngle}. The paper's (J1, J2, J3) =
 * (L_z, L − |L_z|, J_r) are our columns (1, 2, 0); the positivity term of Eq. 13 acts on J2 = J_z and
 * J3 = J_R. The networks see actions divided by 4000 kpc km/s (the paper's 20 kpc × 200 km/s).
 *
 * <h2>The point transformation</h2>
 * Eq. 7 writes θ″ = P(θ′) with P = netP(cos θ′, sin θ′) (Eq. 10), and Listing 1 calls the module
 * {@code encoder_GF_P} whose body is not shown. Taken literally θ″ would be a periodic function of θ′,
 * whose Jacobian ∂θ″/∂θ′ must average to zero around each angle's circle, so it could never be the
 * identity the paper reports learning with the correct toy (§6.1); the angle map of a point
 * transformation on the torus is θ″ = θ′ + (periodic function). We therefore default to
 * {@link dev.canonic.models.actionfinder.ActionFinderConfig.PointForm#RESIDUAL} θ″ = θ′ + P(cos θ′, sin θ′)
 * and keep the literal reading as {@code DIRECT} (used by the W6 benchmark step, which prescribes it).
 *
 * <h2>Initialisation</h2>
 * With {@link dev.canonic.models.actionfinder.ActionFinderConfig#startAtToy()} (the default) the output
 * layers of G and P are zero, so training starts exactly at the toy (J″ = J, θ″ = θ); PyTorch's default
 * random output layer starts from a J″ far worse than the toy's and wastes most of a short CPU run
 * getting back to it. The acceleration network likewise starts at a = a_iso.
 *
 * <h2>Second phase</h2>
 * Derivatives of J″ and θ″ along the flow (Eq. 15–16) are taken per star with the stream means fed to G
 * held fixed (they stand for the star's constant J′); G, P and the toy are frozen while the acceleration
 * network learns, and since dJ″/dt is linear in a, the per-star Jacobians are computed once.
 *
 * <h2>Gradients through the fixed point</h2>
 * As in Listing 1, the iterations run without a graph and only the last evaluation of
 * J′ = J − ∂G/∂θ keeps one: the gradient treats the converged stream mean ⟨J′⟩ fed to G as a constant.
 */
package dev.canonic.models.actionfinder;
