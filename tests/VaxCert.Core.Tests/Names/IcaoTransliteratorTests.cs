using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Names;

namespace VaxCert.Core.Tests.Names;

public class IcaoTransliteratorTests
{
    // Expected values written by hand from the Vietnamese spelling, not produced by the code.
    [Theory]
    [InlineData("Nguyễn", "NGUYEN")]
    [InlineData("Thị Minh Khai", "THI<MINH<KHAI")]
    [InlineData("Đặng", "DANG")]
    [InlineData("Phạm", "PHAM")]
    [InlineData("Trần", "TRAN")]
    [InlineData("Lê", "LE")]
    [InlineData("Hoàng", "HOANG")]
    [InlineData("Huỳnh", "HUYNH")]
    [InlineData("Võ", "VO")]
    [InlineData("Dương", "DUONG")]
    [InlineData("Ngô", "NGO")]
    [InlineData("Bùi", "BUI")]
    [InlineData("Đỗ", "DO")]
    [InlineData("Hồ", "HO")]
    [InlineData("Vũ", "VU")]
    [InlineData("Lý", "LY")]
    [InlineData("Trịnh", "TRINH")]
    [InlineData("Đinh", "DINH")]
    [InlineData("Lương", "LUONG")]
    [InlineData("Ưng", "UNG")]
    [InlineData("Ông", "ONG")]
    [InlineData("Văn Đức", "VAN<DUC")]
    [InlineData("Thị Thu Hường", "THI<THU<HUONG")]
    [InlineData("Ngọc Ánh", "NGOC<ANH")]
    [InlineData("Quốc Bảo", "QUOC<BAO")]
    [InlineData("Thùy Dương", "THUY<DUONG")]
    [InlineData("Hữu Nghĩa", "HUU<NGHIA")]
    [InlineData("Xuân Trường", "XUAN<TRUONG")]
    [InlineData("Thị Ngọc Diễm", "THI<NGOC<DIEM")]
    [InlineData("Đức Thắng", "DUC<THANG")]
    [InlineData("Phương Thảo", "PHUONG<THAO")]
    [InlineData("Mỹ Dung", "MY<DUNG")]
    [InlineData("Tuấn Kiệt", "TUAN<KIET")]
    [InlineData("Tôn Nữ Thị Ninh", "TON<NU<THI<NINH")]
    [InlineData("Yến Nhi", "YEN<NHI")]
    [InlineData("ĐẶNG THỊ NGỌC THỊNH", "DANG<THI<NGOC<THINH")]
    [InlineData("  Nguyễn  Văn - An ", "NGUYEN<VAN<AN")]
    [InlineData("Nguyễn-Phạm", "NGUYEN<PHAM")]
    [InlineData("Smith-Jones", "SMITH<JONES")]
    [InlineData("O'Brien", "OBRIEN")]
    [InlineData("Jr.", "JR")]
    [InlineData("Lövström", "LOEVSTROEM")]
    [InlineData("Musterfrau-Gößinger", "MUSTERFRAU<GOESSINGER")]
    [InlineData("Rogaliński-Król", "ROGALINSKI<KROL")]
    [InlineData("théoule sur mer", "THEOULE<SUR<MER")]
    [InlineData("Ærøskøbing", "AEROSKOBING")]
    [InlineData("Muñoz", "MUNOZ")]
    [InlineData("Đorđević", "DORDEVIC")]
    [InlineData("Þórsdóttir", "THORSDOTTIR")]
    [InlineData("Wałęsa", "WALESA")]
    [InlineData("", "")]
    public void Transliterates_real_names(string natural, string expected)
    {
        var result = IcaoTransliterator.Transliterate(natural);
        Assert.True(result.Success, result.DescribeUnmappable());
        Assert.Equal(expected, result.Value);
        // Decomposed input (as some keyboards and macOS file names produce) must give the same answer.
        Assert.Equal(expected, IcaoTransliterator.Transliterate(natural.Normalize(NormalizationForm.FormD)).Value);
    }

    [Theory]
    [InlineData("Μενεξές", 6)]
    [InlineData("Nguyễn 2", 1)]
    [InlineData("李小龍", 3)]
    [InlineData("Anh\u0007", 1)]
    [InlineData("Lan\uD800", 1)]
    public void Reports_unmappable_characters(string natural, int distinct)
    {
        var result = IcaoTransliterator.Transliterate(natural);
        Assert.False(result.Success);
        Assert.Equal(TransliterationFailure.UnmappableCharacters, result.Failure);
        Assert.Equal(distinct, result.Unmappable.Count);
        Assert.Matches("^[A-Z<]*$", result.Value);
    }

    [Fact]
    public void Rejects_more_than_80_characters_without_truncating()
    {
        var result = IcaoTransliterator.Transliterate(new string('ư', 81));
        Assert.Equal(TransliterationFailure.TooLong, result.Failure);
        Assert.Equal(new string('U', 81), result.Value);
        Assert.True(IcaoTransliterator.Transliterate(new string('ư', 80)).Success);
    }

    [Fact]
    public void Null_is_empty() => Assert.Equal("", IcaoTransliterator.Transliterate(null).Value);

    private static readonly Regex MachineReadable = new("^[A-Z<]*$");

    /// <summary>Arbitrary strings of Vietnamese letters (every tone, both cases), spaces and hyphens, with the expected output.</summary>
    private static Gen<(string Text, string Expected)> VietnameseNames()
    {
        var pieces = VietnameseAlphabet.Letters.Select(l => (Text: l.Letter, Out: l.Expected.ToString()))
            .Concat(new (string Text, string Out)[] { (" ", "<"), ("-", "<"), ("  ", "<") }).ToArray();
        return Gen.Elements(pieces).ListOf().Select(list =>
        {
            var text = string.Concat(list.Select(p => p.Text));
            // Oracle: concatenate expected letters and fillers, then collapse and trim fillers.
            var expected = Regex.Replace(string.Concat(list.Select(p => p.Out)), "<+", "<").Trim('<');
            return (text, expected);
        });
    }

    [Fact]
    public void Property_output_matches_the_letter_by_letter_oracle() =>
        PropertyCheck.ForAll(VietnameseNames(), c => IcaoTransliterator.Transliterate(c.Text).Value == c.Expected);

    [Fact]
    public void Property_output_is_machine_readable_and_one_letter_per_vietnamese_letter() =>
        PropertyCheck.ForAll(VietnameseNames(), c =>
        {
            var value = IcaoTransliterator.Transliterate(c.Text).Value;
            var lettersIn = c.Text.Normalize(NormalizationForm.FormC).Count(char.IsLetter);
            return MachineReadable.IsMatch(value) && value.Count(ch => ch != '<') == lettersIn;
        });

    [Fact]
    public void Property_is_idempotent_on_its_own_output() =>
        PropertyCheck.ForAll(VietnameseNames(), c =>
        {
            var once = IcaoTransliterator.Transliterate(c.Text).Value;
            var twice = IcaoTransliterator.Transliterate(once);
            // Outputs over 80 characters stay TooLong; idempotence is about the value.
            return twice.Value == once && (twice.Success || once.Length > IcaoTransliterator.MaxLength);
        });

    [Fact]
    public void Property_precomposed_and_decomposed_input_agree() =>
        PropertyCheck.ForAll(VietnameseNames(), c =>
            IcaoTransliterator.Transliterate(c.Text.Normalize(NormalizationForm.FormC)).Value
            == IcaoTransliterator.Transliterate(c.Text.Normalize(NormalizationForm.FormD)).Value);

    [Fact]
    public void Property_never_throws_on_arbitrary_unicode() =>
        PropertyCheck.ForAll(Gen.Choose(0, 0xFFFF).Select(i => (char)i).ArrayOf().Select(a => new string(a)), s =>
            MachineReadable.IsMatch(IcaoTransliterator.Transliterate(s).Value));

    [Fact]
    public void Alphabet_under_test_is_complete()
    {
        // 12 vowels × 6 tone forms × 2 cases + 16 consonants × 2 + Đ/đ.
        Assert.Equal(12 * 6 * 2 + 16 * 2 + 2, VietnameseAlphabet.Letters.Count);
        Assert.Equal(VietnameseAlphabet.Letters.Count, VietnameseAlphabet.Letters.Select(l => l.Letter).Distinct().Count());
    }
}
