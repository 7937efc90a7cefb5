"""The VAE task: encoder with mean and log-variance heads, reparameterisation, decoder, the ELBO.

- :mod:`task` is the task's part of the training loop (one step of both networks, evaluation, views);
- :mod:`model` builds the two networks from the preset (the encoder gets the task's heads);
- :mod:`losses` holds the ELBO's terms; :mod:`metrics` the figures on the whole train and test sets;
- :mod:`latent` is the small API that views and the CLI share (traverse, interpolate, sample, encode, decode);
- :mod:`views` computes what the GUI draws; :mod:`outputs` writes a run folder's pictures and CSV.
"""
