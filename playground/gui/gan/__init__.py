"""The GAN task's central view, in parts: the 2-D plane (GAN Lab's picture), the image sample grid with
its history slider, and the curves of the two players. :mod:`playground.gui.gan.view` puts them together."""
