using System.Text;
using Postroom.Passwords;

namespace Postroom.AllInOne;

/// <summary>
/// <c>postroom passwd</c>: reads a password (from the terminal without echo, or one line of standard input)
/// and prints its Argon2id hash, ready for a MailDomain user's <c>password</c> field or a Secret.
/// </summary>
internal static class PasswdCommand
{
    public static bool Matches(string[] args) => args is ["passwd"];

    public static int Run()
    {
        var password = Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden("Password: ");
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("postroom passwd: empty password");
            return 1;
        }

        if (!Console.IsInputRedirected && ReadHidden("Again: ") != password)
        {
            Console.Error.WriteLine("postroom passwd: the passwords differ");
            return 1;
        }

        Console.WriteLine(PasswordHasher.Default.HashPassword(password));
        return 0;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace && text.Length > 0)
            {
                text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }
}
