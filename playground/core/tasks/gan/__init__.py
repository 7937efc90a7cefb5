"""The GAN task: a generator and a discriminator trained against each other.

- :mod:`task` is the task's part of the training loop (two optimisers in turns, D and G steps);
- :mod:`data` the real samples (2-D distributions or images); :mod:`latent` the generator's noise;
- :mod:`losses` the four games; :mod:`mode_metrics` and :mod:`image_metrics` the evaluation figures;
- :mod:`views` what the GUI draws (heatmap, arrows, manifold, sample grids); :mod:`outputs` a run's samples.
"""
