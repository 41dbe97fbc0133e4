/**
 * Model B: the ACTIONFINDER (Ibata et al. 2021, ApJ 915, 5; ../shared/seeds/001, Listing 1, Eq. 3–19).
 *
 * <h2>Pipeline</h2>
 * <ol>
 * <li>{@link dev.canonic.models.actionfinder.IsochroneToy}: differentiable isochrone (θ, J) of (x, v),
 *     GM and b learnable or fixed; {@code invalidRows} / {@code invalidIndices} name the points with no
 *     toy coordinates (unbound, radial, exactly planar) so callers exclude them up front;
 *     {@code chooseFor} picks GM, b binding every point; {@code phaseSpace} is the analytic inverse.</li>
 * <li>{@link dev.canonic.models.actionfinder.ActionFinderCore#pass}: Listing 1 for any G and P —
 *     fixed-point J′ per stream without graph, once more with graph, θ′ = θ + ∂G/∂J′ (mod 2π),
 *     θ″ from P, J″ through the inverse of the per-star 3×3 Jacobian ∂θ″/∂θ′ (ill-conditioned rows
 *     reported); loss terms {@code spread}, {@code positivity} (Eq. 13), {@code zeroPoint}.</li>
 * <li>{@link dev.canonic.models.actionfinder.ActionFinderModel}: toy + netG + netP
 *     ({@link dev.canonic.nn.ResDenseNet}), presets in {@link dev.canonic.models.actionfinder.ActionFinderConfig}
 *     ({@code paper}: netG 15 blocks, netP 11 blocks, cap 1024, dropout 0.5 above width 256;
 *     {@code cpu}: both [32, 64, 32], no dropout).</li>
 * <li>{@link dev.canonic.models.actionfinder.Streams}: stream membership of rows for streams of any
 *     size and row order; differentiable segment means.</li>
 * </ol>
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
 * <h2>Gradients through the fixed point</h2>
 * As in Listing 1, the iterations run without a graph and only the last evaluation of
 * J′ = J − ∂G/∂θ keeps one: the gradient treats the converged stream mean ⟨J′⟩ fed to G as a constant.
 */
package dev.canonic.models.actionfinder;
