package io.switchboard.testing;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;

/**
 * The start most conversation tests share: a customer of the node's seeded widget writes first,
 * and an agent takes the conversation ("Assign to me"). Both sockets are greeted.
 */
public record Chat(Ws customer, Ws agent, String conversationId) implements AutoCloseable {

    public static Chat assigned(TestNode node, String agentToken, String firstText) {
        Ws customer = Ws.customer(node.port(), node.widgetKey(), null);
        Ws agent = Ws.agent(node.port(), agentToken);
        customer.await("hello");
        agent.await("hello");
        String conv = customer.ack(customerMessage("first", firstText)).getString("conversationId");
        agent.ack(frame("conversation.assign", conv));
        return new Chat(customer, agent, conv);
    }

    @Override
    public void close() {
        customer.close();
        agent.close();
    }
}
