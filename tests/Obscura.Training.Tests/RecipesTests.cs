namespace Obscura.Training.Tests;

public class RecipesTests
{
    private static readonly double[] Epsilons = [0.5, 1, 1.99, 2, 3, 4.99, 5, 8, 20];

    [Fact]
    public void BestRecipe_BatchSizeNeverGrowsWithTheTargetEpsilon()
    {
        // Less noise allowed per run means fewer affordable steps: the batch may only shrink as ε grows.
        var batches = Epsilons.Select(e => Recipes.For("best", isPrivate: true, e).BatchSize).ToArray();
        for (var i = 1; i < batches.Length; i++)
        {
            Assert.True(batches[i] <= batches[i - 1], $"ε = {Epsilons[i]}: batch {batches[i]} > {batches[i - 1]} at ε = {Epsilons[i - 1]}");
        }
        Assert.True(batches[0] > batches[^1], "the batch size should depend on ε at all");
    }

    [Fact]
    public void WithoutATargetEpsilon_TheEpsilon3ValuesApply()
    {
        // An explicit σ has no target ε; the recipe then falls back to the values chosen at ε = 3.
        Assert.Equal(Recipes.For("best", true, 3.0), Recipes.For("best", true, null));
    }

    [Theory]
    [InlineData("tanh-cnn")]
    [InlineData("scatter-linear")]
    [InlineData("scatter-cnn")]
    public void OtherRecipes_DoNotDependOnEpsilon(string name) =>
        Assert.Equal(Recipes.For(name, true, 1.0), Recipes.For(name, true, 8.0));

    [Fact]
    public void MultiscaleLinear_TrainsItsOwnModel_WithTheWhitenedLinearSettings()
    {
        foreach (var e in Epsilons)
        {
            var multiscale = Recipes.For("scatter-multiscale-linear", true, e);
            Assert.Equal("scatter-multiscale-linear", multiscale.Model);
            Assert.Equal(Recipes.For("scatter-whitened-linear", true, e) with { Name = multiscale.Name, Model = multiscale.Model, Source = multiscale.Source }, multiscale);
        }
        Assert.Equal("scatter-multiscale-linear", Recipes.For("scatter-multiscale-linear", false).Model);
    }

    [Fact]
    public void BestIsTheMultiscaleLinearRecipeUnderItsOwnName()
    {
        foreach (var e in Epsilons)
        {
            Assert.Equal(Recipes.For("scatter-multiscale-linear", true, e) with { Name = "best" }, Recipes.For("best", true, e));
        }
        Assert.Equal(Recipes.For("scatter-multiscale-linear", false) with { Name = "best" }, Recipes.For("best", false, 8.0));
    }
}
